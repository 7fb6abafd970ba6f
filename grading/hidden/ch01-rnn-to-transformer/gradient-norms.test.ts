// Hidden tests of exercises/ch01-rnn-to-transformer/gradient-norms.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { gradientNormsByPosition } from '@exercises/ch01-rnn-to-transformer/gradient-norms';
import { Rng, tf } from '@how-llms-work/lib';

describe('ch01 gradientNormsByPosition', () => {
  it('gives the row norms of W for the linear f(x) = sum(x ⊙ W)', () => {
    const W = [
      [3, 4, 0],
      [0, 0, 0],
      [1, 2, 2],
    ];
    const w = tf.tensor2d(W);
    const norms = gradientNormsByPosition(
      (x: tf.Tensor2D) => x.mul(w).sum() as tf.Scalar,
      tf.zeros([3, 3]) as tf.Tensor2D,
    );
    expect(norms).toHaveLength(3);
    [5, 0, 3].forEach((n, t) => expect(norms[t]).toBeCloseTo(n, 5));
  });
  it('works for a single width (C = 1) and a cubic, leaving x alive and nothing behind', () => {
    const x = tf.tensor2d([[2], [-1], [0.5]]);
    const before = tf.memory().numTensors;
    const norms = gradientNormsByPosition((t: tf.Tensor2D) => t.pow(3).sum() as tf.Scalar, x); // ∂/∂x = 3x²
    expect(tf.memory().numTensors).toBe(before);
    [12, 3, 0.75].forEach((n, t) => expect(norms[t]).toBeCloseTo(n, 4));
    expect(x.isDisposed).toBe(false);
  });
  it('equals the row norms of tf.grad on seeded random inputs and functions, leaving no tensors behind', () => {
    const rng = new Rng(103);
    for (let trial = 0; trial < 4; trial++) {
      const T = 2 + rng.int(6);
      const C = 1 + rng.int(4);
      const x = tf.randomNormal([T, C], 0, 1, 'float32', trial + 1) as tf.Tensor2D;
      const w = tf.randomNormal([T, C], 0, 1, 'float32', trial + 11);
      const f = (v: tf.Tensor2D) => tf.tanh(v.mul(w)).sum().mul(tf.sin(v.sum())) as tf.Scalar;
      const want = tf.tidy(() =>
        Array.from(
          tf
            .grad((v: tf.Tensor) => f(v as tf.Tensor2D))(x)
            .square()
            .sum(1)
            .sqrt()
            .dataSync(),
        ),
      );
      const before = tf.memory().numTensors;
      const got = gradientNormsByPosition(f, x);
      expect(tf.memory().numTensors).toBe(before);
      expect(got).toHaveLength(T);
      got.forEach((g, t) => expect(g).toBeCloseTo(want[t], 4));
    }
  });
});
