// Chapter 14 exercise: RMSNorm, against the library's rmsNorm on random inputs, values and gradients.
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
  it('computes the worked example', () => {
    const y = rmsNormalize(tf.tensor2d([[3, 4]]), tf.tensor1d([1, 2]), 0);
    expect(maxDiff(y, tf.tensor2d([[3 / Math.sqrt(12.5), 8 / Math.sqrt(12.5)]]))).toBeLessThan(1e-5);
  });

  it('matches the library on a (B, T, C) tensor with a random gain, keeping the shape', () => {
    const x = randn([2, 3, 8], 1, 2);
    const g = randn([8], 2);
    const y = rmsNormalize(x, g);
    expect(y.shape).toEqual([2, 3, 8]);
    expect(maxDiff(y, rmsNorm(x, g))).toBeLessThan(1e-5);
  });

  it('subtracts no mean: a row of 5s becomes a row of 1s', () => {
    expect(maxDiff(rmsNormalize(tf.fill([1, 4], 5), tf.ones([4]), 0), tf.ones([1, 4]))).toBeLessThan(1e-6);
  });
});
