// Hidden tests of exercises/ch01-rnn-to-transformer/rnn-step.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { rnnStep } from '@exercises/ch01-rnn-to-transformer/rnn-step';
import { Rng, tf } from '@how-llms-work/lib';

const randomMatrix = (rows: number, cols: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
};

describe('ch01 rnnStep', () => {
  it('computes tanh(x Wihᵀ + h Whhᵀ + b) on a batch of 3, checked by hand', () => {
    const [x, h, wIh, wHh] = [randomMatrix(3, 2, 21), randomMatrix(3, 2, 22), randomMatrix(2, 2, 23), randomMatrix(2, 2, 24)];
    const b = [0.3, -0.4];
    const got = rnnStep(tf.tensor2d(x), tf.tensor2d(h), tf.tensor2d(wIh), tf.tensor2d(wHh), tf.tensor1d(b)).arraySync();
    for (let i = 0; i < 3; i++) {
      for (let o = 0; o < 2; o++) {
        let s = b[o];
        for (let c = 0; c < 2; c++) s += x[i][c] * wIh[o][c] + h[i][c] * wHh[o][c];
        expect(got[i][o]).toBeCloseTo(Math.tanh(s), 5);
      }
    }
  });
  it('gives tanh(b) on every row for zero inputs and state', () => {
    const z = tf.zeros([4, 3]) as tf.Tensor2D;
    const w = tf.tensor2d(randomMatrix(3, 3, 25));
    const got = rnnStep(z, z, w, w, tf.tensor1d([5, 0, -0.5]));
    expect(got.shape).toEqual([4, 3]);
    for (const row of got.arraySync()) [5, 0, -0.5].forEach((b, j) => expect(row[j]).toBeCloseTo(Math.tanh(b), 6));
  });
});
