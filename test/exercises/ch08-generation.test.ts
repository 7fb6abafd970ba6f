// Chapter 8 exercises: the pieces of a decoder. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { softmaxWithTemperature } from '@exercises/ch08-generation/temperature';
import { topK } from '@exercises/ch08-generation/top-k';
import { topP } from '@exercises/ch08-generation/top-p';
import { greedyDecode } from '@exercises/ch08-generation/greedy-decode';
import { nextTokenDistribution, topKFilter, topPFilter } from '@how-llms-work/lib';

const close = (got: number[], want: ArrayLike<number>, digits = 9) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

describe('ch08 temperature', () => {
  it('T = 1 is the plain softmax', () => {
    close(softmaxWithTemperature([2, 1, 0], 1), nextTokenDistribution([2, 1, 0]));
  });

  it('divides the logits: T = 2 flattens, T = 0.5 sharpens', () => {
    close(softmaxWithTemperature([2, 1, 0], 2), nextTokenDistribution([1, 0.5, 0]));
    close(softmaxWithTemperature([2, 1, 0, -3], 0.5), nextTokenDistribution([4, 2, 0, -6]));
  });

  it('T = 0 is greedy: all mass on the first largest logit', () => {
    expect(softmaxWithTemperature([0.5, 3, -1, 3], 0)).toEqual([0, 1, 0, 0]);
  });

  it('is stable for large logits', () => {
    close(softmaxWithTemperature([1000, 999], 1), [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1))]);
  });

  it('rejects a negative temperature, naming it', () => {
    expect(softmaxWithTemperature([1, 1], 1)).toHaveLength(2);
    expect(() => softmaxWithTemperature([1, 2], -0.7)).toThrow(/-0\.7/);
  });
});

describe('ch08 top-k', () => {
  it('keeps the k most likely, renormalised', () => {
    close(topK([0.1, 0.5, 0.3, 0.1], 2), [0, 0.625, 0.375, 0]);
  });

  it('k = 1 is the argmax and k >= V keeps everything', () => {
    expect(topK([0.2, 0.3, 0.5], 1)).toEqual([0, 0, 1]);
    close(topK([0.2, 0.3, 0.5], 7), [0.2, 0.3, 0.5]);
  });

  it('matches the library on a larger vector, ties to the lower index', () => {
    const probs = [0.05, 0.2, 0.05, 0.2, 0.1, 0.3, 0.1];
    close(topK(probs, 4), topKFilter(probs, 4));
  });

  it('rejects k < 1, naming it', () => {
    expect(topK([0.5, 0.5], 2)).toHaveLength(2);
    expect(() => topK([0.5, 0.5], -3)).toThrow(/-3/);
  });
});

describe('ch08 top-p', () => {
  it('includes the token that crosses p', () => {
    close(topP([0.1, 0.5, 0.3, 0.1], 0.6), [0, 0.625, 0.375, 0]);
  });

  it('stops where the running total reaches p exactly', () => {
    close(topP([0.1, 0.5, 0.3, 0.1], 0.8), [0, 0.625, 0.375, 0]);
    close(topP([0.2, 0.1, 0.7], 0.9), [0.2 / 0.9, 0, 0.7 / 0.9]);
  });

  it('keeps one token when it alone exceeds p, and everything at p = 1', () => {
    expect(topP([0.15, 0.7, 0.15], 0.6)).toEqual([0, 1, 0]);
    close(topP([0.25, 0.25, 0.5], 1), [0.25, 0.25, 0.5]);
  });

  it('matches the library on many random vectors', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 50; trial++) {
      const raw = Array.from({ length: 8 }, next);
      const total = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((r) => r / total);
      const p = 0.05 + 0.9 * next();
      close(topP(probs, p), topPFilter(probs, p));
    }
  });

  it('rejects p outside (0, 1], naming it', () => {
    expect(topP([0.5, 0.5], 0.5)).toHaveLength(2);
    expect(() => topP([0.5, 0.5], 1.5)).toThrow(/1\.5/);
    expect(() => topP([0.5, 0.5], 0)).toThrow(/\b0\b/);
  });
});

describe('ch08 greedy decode with a stop token', () => {
  // A "model" that always favours (last id + 1) mod 5, and counts its calls.
  const successor = () => {
    let calls = 0;
    const fn = (ids: readonly number[]) => {
      calls++;
      const want = (ids[ids.length - 1] + 1) % 5;
      return [0, 1, 2, 3, 4].map((v) => (v === want ? 2 : 0));
    };
    return { fn, calls: () => calls };
  };

  it('follows the largest logit until the stop token, which is kept', () => {
    const m = successor();
    expect(greedyDecode(m.fn, [0], 10, 3)).toEqual([1, 2, 3]);
    expect(m.calls()).toBe(3);
  });

  it('stops at maxNewTokens without a stop token', () => {
    const m = successor();
    expect(greedyDecode(m.fn, [3], 6)).toEqual([4, 0, 1, 2, 3, 4]);
    expect(m.calls()).toBe(6);
  });

  it('passes the whole context, prompt included, to the model', () => {
    const seen: number[][] = [];
    greedyDecode((ids: readonly number[]) => (seen.push([...ids]), [1, 0]), [1, 1], 2);
    expect(seen).toEqual([[1, 1], [1, 1, 0]]);
  });

  it('breaks ties toward the lowest id', () => {
    expect(greedyDecode(() => [0, 5, 5, 1], [0], 2)).toEqual([1, 1]);
  });
});
