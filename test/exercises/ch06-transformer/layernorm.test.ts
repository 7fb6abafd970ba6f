// Tests of exercises/ch06-transformer/layernorm.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { layerNormLastAxis } from '@exercises/ch06-transformer/layernorm';
import { layerNorm, tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../helpers';

describe('ch06 layerNormLastAxis', () => {
  const ones = (n: number) => tf.ones([n]);
  const zeros = (n: number) => tf.zeros([n]);

  it('normalises the worked example with the biased variance', () => {
    const y = layerNormLastAxis(tf.tensor2d([[0, 2]]), ones(2), zeros(2));
    expect(maxDiff(y, tf.tensor2d([[-1, 1]]))).toBeLessThan(1e-4); // the unbiased variance would give ±0.707
  });

  it('gives each row mean 0 and variance 1', () => {
    const y = layerNormLastAxis(randn([3, 4, 16], 1, 5).add(3), ones(16), zeros(16));
    const { mean, variance } = tf.moments(y, -1);
    expect(tf.abs(mean).max().dataSync()[0]).toBeLessThan(1e-5);
    expect(maxDiff(variance, tf.ones([3, 4]))).toBeLessThan(1e-3);
  });

  it('applies the gain and the shift, matching the library', () => {
    const x = randn([2, 3, 8], 2);
    const [g, b] = [randn([8], 3), randn([8], 4)];
    expect(maxDiff(layerNormLastAxis(x, g, b), layerNorm(x, g, b))).toBeLessThan(1e-5);
  });

  it('uses ε: a constant row comes out as β, not NaN', () => {
    const b = tf.tensor1d([0.5, -1, 2]);
    const y = layerNormLastAxis(tf.tensor2d([[7, 7, 7]]), ones(3), b);
    expect(maxDiff(y, b.expandDims(0))).toBeLessThan(1e-6);
    expect(
      maxDiff(
        layerNormLastAxis(tf.tensor2d([[0, 0.001]]), ones(2), zeros(2), 1e-2),
        layerNorm(tf.tensor2d([[0, 0.001]]), ones(2), zeros(2), 1e-2),
      ),
    ).toBeLessThan(1e-6);
  });
});
