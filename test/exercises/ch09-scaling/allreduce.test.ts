// Tests of exercises/ch09-scaling/allreduce.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { averageGradients } from '@exercises/ch09-scaling/allreduce';
import { Rng } from '@how-llms-work/lib';

describe('ch09 averageGradients', () => {
  it('averages equal shards name by name', () => {
    const out = averageGradients([
      { w: Float32Array.from([1, 2]), b: Float32Array.from([0]) },
      { w: Float32Array.from([3, 6]), b: Float32Array.from([4]) },
    ]);
    expect(Array.from(out.w)).toEqual([2, 4]);
    expect(Array.from(out.b)).toEqual([2]);
  });

  it('weights each worker by its number of examples, and leaves the inputs alone', () => {
    const a = { w: Float32Array.from([1, 2]) };
    const b = { w: Float32Array.from([4, 8]) };
    expect(Array.from(averageGradients([a, b], [1, 2]).w)).toEqual([3, 6]);
    expect(Array.from(a.w)).toEqual([1, 2]);
  });

  it('gives the full-batch gradient of a least-squares model from uneven shards', () => {
    // Loss = mean over examples of (w·x − y)²; its gradient is the mean of 2(w·x − y)x.
    const rng = new Rng(3);
    const xs = Array.from({ length: 10 }, () => [rng.normal(), rng.normal()]);
    const ys = xs.map(() => rng.normal());
    const w = [0.3, -0.7];
    const grad = (from: number, to: number) => {
      const g = new Float32Array(2);
      for (let i = from; i < to; i++) {
        const r = w[0] * xs[i][0] + w[1] * xs[i][1] - ys[i];
        g[0] += (2 * r * xs[i][0]) / (to - from);
        g[1] += (2 * r * xs[i][1]) / (to - from);
      }
      return { w: g };
    };
    const out = averageGradients([grad(0, 3), grad(3, 4), grad(4, 10)], [3, 1, 6]);
    const full = grad(0, 10);
    expect(out.w[0]).toBeCloseTo(full.w[0], 5);
    expect(out.w[1]).toBeCloseTo(full.w[1], 5);
  });

  it('refuses workers whose gradients do not match, naming the worker', () => {
    expect(() => averageGradients([{ w: new Float32Array(2) }, { v: new Float32Array(2) }])).toThrow(/worker 1/);
    expect(() => averageGradients([{ w: new Float32Array(2) }, { w: new Float32Array(3) }])).toThrow(/worker 1/);
  });
});
