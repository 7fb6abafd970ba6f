// Tests of exercises/ch08-generation/greedy-decode.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { greedyDecode } from '@exercises/ch08-generation/greedy-decode';

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
