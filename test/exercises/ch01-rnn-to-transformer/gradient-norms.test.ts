// Tests of exercises/ch01-rnn-to-transformer/gradient-norms.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { gradientNormsByPosition } from '@exercises/ch01-rnn-to-transformer/gradient-norms';
import { tf } from '@how-llms-work/lib';
import { randn } from '../helpers';

describe('ch01 gradientNormsByPosition', () => {
  it('gives the worked example', () => {
    const norms = gradientNormsByPosition(
      (x: tf.Tensor2D) => x.slice([1, 0], [1, 2]).square().sum() as tf.Scalar,
      tf.tensor2d([
        [1, 1],
        [3, 4],
      ]),
    );
    expect(norms).toHaveLength(2);
    expect(norms[0]).toBeCloseTo(0, 6);
    expect(norms[1]).toBeCloseTo(10, 4);
  });

  it('measures a geometric decay through a linear recurrence', () => {
    // h_t = 0.5·h_{t−1} + x_t, f = sum(h_T): ∂f/∂x_t = 0.5^(T−1−t) in every coordinate.
    const f = (x: tf.Tensor2D) => {
      let h: tf.Tensor = tf.zeros([3]);
      for (const row of tf.unstack(x)) h = h.mul(0.5).add(row);
      return h.sum() as tf.Scalar;
    };
    const norms = gradientNormsByPosition(f, tf.ones([6, 3]) as tf.Tensor2D);
    norms.forEach((n: number, t: number) => expect(n).toBeCloseTo(Math.sqrt(3) * 0.5 ** (5 - t), 4));
  });

  it('takes the norm per row, not over everything', () => {
    const x = tf.tensor2d([
      [1, 2, 2],
      [0, 3, 4],
    ]);
    const norms = gradientNormsByPosition((t: tf.Tensor2D) => t.square().sum().div(2) as tf.Scalar, x); // gradient = x
    expect(norms[0]).toBeCloseTo(3, 5);
    expect(norms[1]).toBeCloseTo(5, 5);
  });

  it('leaves no tensors behind', () => {
    const x = randn([5, 4], 9) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    gradientNormsByPosition((t: tf.Tensor2D) => tf.tanh(t).sum() as tf.Scalar, x);
    expect(tf.memory().numTensors).toBe(before);
  });
});
