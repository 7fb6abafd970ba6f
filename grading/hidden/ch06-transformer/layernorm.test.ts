// Hidden tests of exercises/ch06-transformer/layernorm.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { layerNormLastAxis } from '@exercises/ch06-transformer/layernorm';
import { tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../../../test/exercises/helpers';

describe('ch06 layerNormLastAxis', () => {
  it('matches the formula by hand on rows of width 3 with a custom ε', () => {
    const rows = [
      [1, 2, 6],
      [-2, 0.5, 0.5],
    ];
    const [g, b, eps] = [[2, -1, 0.5], [0.1, 0.2, 0.3], 0.1];
    const got = layerNormLastAxis(tf.tensor2d(rows), tf.tensor1d(g), tf.tensor1d(b), eps).arraySync() as number[][];
    rows.forEach((row, i) => {
      const mu = row.reduce((s, x) => s + x, 0) / 3;
      const v = row.reduce((s, x) => s + (x - mu) ** 2, 0) / 3;
      row.forEach((x, j) => expect(got[i][j]).toBeCloseTo(((x - mu) / Math.sqrt(v + eps)) * g[j] + b[j], 5));
    });
  });
  it('normalises a 1-D vector, and ignores a positive scale and a shift of the input', () => {
    const x = randn([6], 61, 10);
    const [g, b] = [randn([6], 62), randn([6], 63)];
    const y = layerNormLastAxis(x, g, b);
    expect(y.shape).toEqual([6]);
    expect(maxDiff(layerNormLastAxis(x.mul(7).add(-40), g, b), y)).toBeLessThan(1e-4);
  });
});
