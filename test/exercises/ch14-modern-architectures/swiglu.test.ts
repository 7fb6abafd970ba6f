// Chapter 14 exercise: SwiGLU, against the library's swiglu on random inputs.
import { describe, expect, it } from 'vitest';
import { swigluFFN } from '@exercises/ch14-modern-architectures/swiglu';
import { Rng, swiglu, tf } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std),
    shape,
  );
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch14 swigluFFN', () => {
  it('computes the worked example', () => {
    const y = swigluFFN(tf.tensor2d([[2]]), tf.tensor2d([[1]]), tf.tensor2d([[3]]), tf.tensor2d([[0.5]]));
    const expected = (2 / (1 + Math.exp(-2))) * 6 * 0.5;
    expect(y.dataSync()[0]).toBeCloseTo(expected, 4);
  });

  it('matches the library on (B, T, C) with C = 8, Hd = 24, keeping the shape', () => {
    const x = randn([2, 3, 8], 1);
    const [wg, wu, wd] = [randn([24, 8], 2, 0.3), randn([24, 8], 3, 0.3), randn([8, 24], 4, 0.3)];
    const y = swigluFFN(x, wg, wu, wd);
    expect(y.shape).toEqual([2, 3, 8]);
    expect(maxDiff(y, swiglu(x, wg, wu, wd))).toBeLessThan(1e-5);
  });
});
