// Chapter 14 hidden tests: SwiGLU's gate (which projection goes through SiLU), gradients, and no leaks.
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
  it('puts SiLU on the gate projection, not the up projection (a 2-D input, Hd ≠ C)', () => {
    const x = randn([5, 4], 5, 2);
    const [wg, wu, wd] = [randn([6, 4], 6), randn([6, 4], 7), randn([4, 6], 8)];
    expect(maxDiff(swigluFFN(x, wg, wu, wd), swiglu(x, wg, wu, wd))).toBeLessThan(1e-4);
  });

  it('has the library gradients for the input and the three weights', () => {
    const x = randn([3, 4], 9);
    const ws = [randn([8, 4], 10, 0.5), randn([8, 4], 11, 0.5), randn([4, 8], 12, 0.5)];
    const f = (impl: typeof swiglu) =>
      tf.grads(
        (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => impl(a, b, c, d).square().sum() as tf.Scalar,
      )([x, ...ws]);
    const mine = f(swigluFFN);
    const ref = f(swiglu);
    mine.forEach((g, i) => expect(maxDiff(g, ref[i]), `gradient ${i}`).toBeLessThan(1e-3));
  });

  it('leaks no tensors', () => {
    const x = randn([2, 4], 13);
    const ws = [randn([8, 4], 14), randn([8, 4], 15), randn([4, 8], 16)];
    const before = tf.memory().numTensors;
    swigluFFN(x, ws[0], ws[1], ws[2]).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
