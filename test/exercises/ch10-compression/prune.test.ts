// Tests of exercises/ch10-compression/prune.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { magnitudePruningMask } from '@exercises/ch10-compression/prune';
import { randomVector } from '../helpers';

describe('ch10 magnitudePruningMask', () => {
  it('prunes the smallest magnitudes, whatever their sign', () => {
    expect(magnitudePruningMask([0.5, -0.1, 2, -3, 0.2, -0.05], 0.5)).toEqual([1, 0, 1, 1, 0, 0]);
  });

  it('prunes exactly round(sparsity · n) weights, even with ties', () => {
    expect(magnitudePruningMask([1, 1, 1, 1], 0.5)).toEqual([0, 0, 1, 1]);
    const mask = magnitudePruningMask(randomVector(101, 1), 0.3);
    expect(mask.filter((m) => m === 0)).toHaveLength(30);
  });

  it('keeps everything at 0 and nothing at 1', () => {
    expect(magnitudePruningMask([3, -2, 1], 0)).toEqual([1, 1, 1]);
    expect(magnitudePruningMask([3, -2, 1], 1)).toEqual([0, 0, 0]);
  });

  it('never prunes a weight larger than one it keeps', () => {
    const w = randomVector(200, 2);
    const mask = magnitudePruningMask(w, 0.7);
    const pruned = Math.max(...w.filter((_, i) => mask[i] === 0).map(Math.abs));
    const kept = Math.min(...w.filter((_, i) => mask[i] === 1).map(Math.abs));
    expect(pruned).toBeLessThanOrEqual(kept);
  });

  it('rejects a sparsity outside [0, 1], naming it', () => {
    expect(() => magnitudePruningMask([1, 2], 1.5)).toThrow(/sparsity must be in \[0, 1\], got 1.5/);
    expect(() => magnitudePruningMask([1, 2], -0.1)).toThrow(/got -0.1/);
  });
});
