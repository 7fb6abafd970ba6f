// Chapter 8 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { softmaxWithTemperature } from '@exercises/ch08-generation/temperature';
import { topK } from '@exercises/ch08-generation/top-k';
import { topP } from '@exercises/ch08-generation/top-p';
import { greedyDecode } from '@exercises/ch08-generation/greedy-decode';

const close = (got: number[], want: number[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 9));
};

describe('ch08 temperature', () => {
  it('divides logits, not probabilities', () => {
    const e4 = Math.exp(4);
    close(softmaxWithTemperature([1, 3], 0.5), [1 / (1 + e4), e4 / (1 + e4)]); // softmax([2, 6])
  });
  it('rejects a temperature that is not a number', () => {
    expect(() => softmaxWithTemperature([1, 2], Number.NaN)).toThrow(/NaN/);
  });
});

describe('ch08 top-k', () => {
  it('breaks a tie for the last place toward the lower index', () => {
    expect(topK([0.4, 0.1, 0.4, 0.1], 1)).toEqual([1, 0, 0, 0]);
  });
  it('rejects a k that is not an integer', () => {
    expect(() => topK([0.5, 0.5], 2.5)).toThrow(/2\.5/);
  });
});

describe('ch08 top-p', () => {
  it('keeps the crossing token and breaks ties toward the lower index', () => {
    close(topP([0.3, 0.3, 0.4], 0.5), [0.3 / 0.7, 0, 0.4 / 0.7]);
  });
  it('rejects p = 0 and p > 1', () => {
    expect(() => topP([0.5, 0.5], 0)).toThrow(/0/);
    expect(() => topP([0.5, 0.5], 1.5)).toThrow(/1\.5/);
  });
});

describe('ch08 greedy decode with a stop token', () => {
  it('keeps a stop token chosen on the first step, and stops there', () => {
    let calls = 0;
    const out = greedyDecode(() => (calls++, [0, 0, 0]), [2], 5, 0);
    expect(out).toEqual([0]);
    expect(calls).toBe(1);
  });
  it('calls the model once per new token and sees the ids so far', () => {
    const seen: number[][] = [];
    const out = greedyDecode((ids) => (seen.push([...ids]), [0, 0, 1]), [7, 8], 3);
    expect(out).toEqual([2, 2, 2]);
    expect(seen).toEqual([[7, 8], [7, 8, 2], [7, 8, 2, 2]]);
  });
});
