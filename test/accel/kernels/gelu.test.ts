// The fused GELU kernel agrees with the formula composed of TF.js ops, values and gradients.
import { describe, expect, it } from 'vitest';
import { gelu, geluReference, tf } from '@how-llms-work/lib';
import { fusedGelu } from '../../../accel/src/kernels/gelu';
import { expectFusedMatchesReference, randomTensor } from './compare';

describe(`fused GELU on ${process.env.HOW_LLMS_BACKEND}`, () => {
  it('matches the reference, values and gradient, over a wide range', () => {
    const x = randomTensor([3, 5, 64], 1, 4); // |x| up to ~16: tanh saturates at both ends
    expectFusedMatchesReference(fusedGelu, geluReference, [x], 2e-6);
    x.dispose();
  });

  it('has exact limits: 0 at 0, x for large x, 0 for very negative x, and stays finite', () => {
    const y = tf.tidy(() => fusedGelu(tf.tensor1d([0, 50, -50, 1e30, -1e30]))!.dataSync());
    expect(Array.from(y)).toEqual([0, 50, -0, 1e30, -0].map((v) => Math.fround(v)));
  });

  it('is what the model’s gelu runs, with no tensors left behind', () => {
    const x = randomTensor([4, 8], 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++)
      tf.tidy(() => {
        tf.grad((t: tf.Tensor) => gelu(t).sum())(x);
      });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(gelu(x).dataSync())).toEqual(Array.from(fusedGelu(x)!.dataSync()));
    x.dispose();
  });
});
