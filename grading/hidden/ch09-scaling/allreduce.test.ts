// Hidden tests of exercises/ch09-scaling/allreduce.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { averageGradients } from '@exercises/ch09-scaling/allreduce';
import { averageArrays, Rng } from '@how-llms-work/lib';

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
    const [p, q, r] = [
      { w: Float32Array.from([2, 0]) },
      { w: Float32Array.from([100, 100]) },
      { w: Float32Array.from([8, 4]) },
    ];
    expect(Array.from(averageGradients([p, q, r], [1, 0, 3]).w)).toEqual([6.5, 3]);
    expect(Array.from(averageGradients([r, p, q], [3, 1, 0]).w)).toEqual([6.5, 3]);
  });
  it('names the third worker when it does not match', () => {
    const g = () => ({ w: new Float32Array(2) });
    expect(Array.from(averageGradients([g(), g(), g()]).w)).toEqual([0, 0]);
    expect(() => averageGradients([g(), g(), { w: new Float32Array(2), extra: new Float32Array(1) }])).toThrow(
      /worker 2/,
    );
  });
  it("equals the library's weighted mean on seeded random workers, names and counts, and is order-independent", () => {
    const rng = new Rng(901);
    for (let trial = 0; trial < 10; trial++) {
      const W = 1 + rng.int(6);
      const names = ['w', 'b', 'ln.weight'].slice(0, 1 + rng.int(3));
      const sizes = names.map(() => 1 + rng.int(12));
      const workers = Array.from({ length: W }, () =>
        Object.fromEntries(names.map((n, i) => [n, Float32Array.from({ length: sizes[i] }, () => rng.normal())])),
      );
      const counts = workers.map(() => 1 + rng.int(20));
      const got = averageGradients(workers, counts);
      const reversed = averageGradients([...workers].reverse(), [...counts].reverse());
      names.forEach((n) => {
        const want = averageArrays(
          workers.map((w) => w[n]),
          counts,
        );
        for (let i = 0; i < want.length; i++) {
          expect(got[n][i]).toBeCloseTo(want[i], 5);
          expect(reversed[n][i]).toBeCloseTo(want[i], 5);
        }
      });
    }
  });
});
