// Hidden tests of exercises/ch09-scaling/allreduce.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { averageGradients } from '@exercises/ch09-scaling/allreduce';

describe('ch09 averageGradients', () => {
  it('returns a copy for one worker, so changing the result leaves the worker alone', () => {
    const w = { a: Float32Array.from([1.5, -2]), b: Float32Array.from([4]) };
    const out = averageGradients([w]);
    expect(out.a).toBeInstanceOf(Float32Array);
    expect(Array.from(out.a)).toEqual([1.5, -2]);
    expect(Array.from(out.b)).toEqual([4]);
    out.a[0] = 99;
    expect(w.a[0]).toBe(1.5);
  });
  it('gives a worker with 0 examples no say, and does not depend on the order of workers', () => {
    const [p, q, r] = [{ w: Float32Array.from([2, 0]) }, { w: Float32Array.from([100, 100]) }, { w: Float32Array.from([8, 4]) }];
    expect(Array.from(averageGradients([p, q, r], [1, 0, 3]).w)).toEqual([6.5, 3]);
    expect(Array.from(averageGradients([r, p, q], [3, 1, 0]).w)).toEqual([6.5, 3]);
  });
  it('names the third worker when it does not match', () => {
    const g = () => ({ w: new Float32Array(2) });
    expect(Array.from(averageGradients([g(), g(), g()]).w)).toEqual([0, 0]);
    expect(() => averageGradients([g(), g(), { w: new Float32Array(2), extra: new Float32Array(1) }])).toThrow(/worker 2/);
  });
});
