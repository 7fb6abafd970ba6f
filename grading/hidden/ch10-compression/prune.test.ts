// Hidden tests of exercises/ch10-compression/prune.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { magnitudePruningMask } from '@exercises/ch10-compression/prune';
import { randomVector } from '../../../test/exercises/helpers';
import { magnitudeMask, Rng, tf } from '@how-llms-work/lib';

describe('ch10 magnitudePruningMask', () => {
  it('takes a Float32Array, prunes the earlier of equal magnitudes, and maps [] to []', () => {
    expect(magnitudePruningMask(Float32Array.from([-1, 1, -1, 1, 5]), 0.6)).toEqual([0, 0, 0, 1, 1]);
    expect(magnitudePruningMask([], 0.5)).toEqual([]);
  });
  it('prunes a set that grows with the sparsity', () => {
    const w = randomVector(40, 101);
    const [low, high] = [magnitudePruningMask(w, 0.25), magnitudePruningMask(w, 0.75)];
    expect(low.filter((m) => m === 0)).toHaveLength(10);
    expect(high.filter((m) => m === 0)).toHaveLength(30);
    low.forEach((m, i) => {
      if (m === 0) expect(high[i]).toBe(0);
    });
  });
  it('rejects a NaN sparsity, naming it', () => {
    expect(magnitudePruningMask([1, 2], 0.5)).toEqual([0, 1]);
    expect(() => magnitudePruningMask([1, 2], Number.NaN)).toThrow(/NaN/);
  });
  it("equals the library's mask on seeded random weights and sparsities, pruning exactly round(s·n) of the smallest", () => {
    const rng = new Rng(1002);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.int(60);
      const w = Float32Array.from({ length: n }, () => rng.normal());
      const s = rng.int(101) / 100;
      const mask = magnitudePruningMask(w, s);
      expect(mask).toEqual(Array.from(magnitudeMask(tf.tensor1d(w), s).dataSync()));
      expect(mask.filter((m) => m === 0)).toHaveLength(Math.round(s * n));
      const keptMin = Math.min(
        ...Array.from(w)
          .filter((_, i) => mask[i] === 1)
          .map(Math.abs),
      );
      const prunedMax = Math.max(
        ...Array.from(w)
          .filter((_, i) => mask[i] === 0)
          .map(Math.abs),
      );
      if (mask.includes(0) && mask.includes(1)) expect(prunedMax).toBeLessThanOrEqual(keptMin);
    }
  });
});
