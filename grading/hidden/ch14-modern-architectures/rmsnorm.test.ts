// Chapter 14 hidden tests: RMSNorm's epsilon, gradients, and no leaks.
import { describe, expect, it } from 'vitest';
import { rmsNormalize } from '@exercises/ch14-modern-architectures/rmsnorm';
import { rmsNorm, Rng, tf } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std),
    shape,
  );
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch14 rmsNormalize', () => {
  it('adds epsilon inside the square root (tiny inputs, large epsilon)', () => {
    const x = randn([3, 5], 3, 1e-3);
    const g = randn([5], 4);
    expect(maxDiff(rmsNormalize(x, g, 0.5), rmsNorm(x, g, 0.5))).toBeLessThan(1e-7);
  });

  it('has the library gradients for the input and the gain', () => {
    const x = randn([4, 6], 5);
    const g = randn([6], 6);
    const w = randn([4, 6], 7);
    const mine = tf.grads((a: tf.Tensor, b: tf.Tensor) => rmsNormalize(a, b).mul(w).sum() as tf.Scalar)([x, g]);
    const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => rmsNorm(a, b).mul(w).sum() as tf.Scalar)([x, g]);
    expect(maxDiff(mine[0], ref[0])).toBeLessThan(1e-4);
    expect(maxDiff(mine[1], ref[1])).toBeLessThan(1e-4);
  });

  it('leaks no tensors', () => {
    const x = randn([2, 2, 4], 8);
    const g = tf.ones([4]);
    const before = tf.memory().numTensors;
    rmsNormalize(x, g).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
