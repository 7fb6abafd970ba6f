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
    const [x, h, wIh, wHh] = [
      randomMatrix(3, 2, 21),
      randomMatrix(3, 2, 22),
      randomMatrix(2, 2, 23),
      randomMatrix(2, 2, 24),
    ];
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
  it('equals the formula with tf ops on seeded random shapes, and passes the same gradients to every input', () => {
    const rng = new Rng(101);
    for (let trial = 0; trial < 5; trial++) {
      const B = 1 + rng.int(4);
      const C = 1 + rng.int(6);
      const H = C; // the contract: input and hidden widths are both C
      const x = tf.randomNormal([B, C], 0, 1, 'float32', 10 * trial + 1) as tf.Tensor2D;
      const h = tf.randomNormal([B, H], 0, 1, 'float32', 10 * trial + 2) as tf.Tensor2D;
      const wIh = tf.randomNormal([H, C], 0, 1, 'float32', 10 * trial + 3) as tf.Tensor2D;
      const wHh = tf.randomNormal([H, H], 0, 1, 'float32', 10 * trial + 4) as tf.Tensor2D;
      const b = tf.randomNormal([H], 0, 1, 'float32', 10 * trial + 5) as tf.Tensor1D;
      const probe = tf.randomNormal([B, H], 0, 1, 'float32', 10 * trial + 6);
      const reference = (xx: tf.Tensor, hh: tf.Tensor, wi: tf.Tensor, wh: tf.Tensor, bb: tf.Tensor) =>
        tf.tanh(
          tf
            .matMul(xx, wi, false, true)
            .add(tf.matMul(hh, wh, false, true))
            .add(bb),
        );
      const got = rnnStep(x, h, wIh, wHh, b);
      expect(got.shape).toEqual([B, H]);
      expect(
        tf
          .abs(got.sub(reference(x, h, wIh, wHh, b)))
          .max()
          .dataSync()[0],
      ).toBeLessThan(1e-5);
      const mine = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor, f: tf.Tensor) =>
        rnnStep(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor2D, e as tf.Tensor2D, f as tf.Tensor1D)
          .mul(probe)
          .sum(),
      )([x, h, wIh, wHh, b]);
      const want = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor, f: tf.Tensor) =>
        reference(a, c, d, e, f).mul(probe).sum(),
      )([x, h, wIh, wHh, b]);
      mine.forEach((g, i) => expect(tf.abs(g.sub(want[i])).max().dataSync()[0]).toBeLessThan(1e-4));
    }
  });
  it('keeps every output in (−1, 1) however large the inputs, and leaves no tensors behind', () => {
    const x = tf.randomNormal([3, 4], 0, 100, 'float32', 7) as tf.Tensor2D;
    const h = tf.randomNormal([3, 2], 0, 100, 'float32', 8) as tf.Tensor2D;
    const wIh = tf.randomNormal([2, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
    const wHh = tf.randomNormal([2, 2], 0, 1, 'float32', 10) as tf.Tensor2D;
    const b = tf.zeros([2]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const out = rnnStep(x, h, wIh, wHh, b);
    expect(tf.memory().numTensors).toBe(before + 1);
    for (const v of out.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});
