// Hidden tests of exercises/ch08-generation/greedy-decode.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { greedyDecode } from '@exercises/ch08-generation/greedy-decode';

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
