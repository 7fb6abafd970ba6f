// Shared check for fused kernels: the kernel and its reference composition agree, values and gradients.
import { expect } from 'vitest';
import { Rng, tf } from '@how-llms-work/lib';

/** Normal values ×scale, seeded. */
export function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => scale * rng.normal()),
    shape,
  );
}

/**
 * fused(...inputs) and reference(...inputs) agree within tol, and so do the gradients of Σ(out · w)
 * with respect to every input (w random, so every output element matters). Returns the fused output's values.
 */
export function expectFusedMatchesReference(
  fused: (...xs: tf.Tensor[]) => tf.Tensor | undefined,
  reference: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  tol = 1e-5,
): Float32Array {
  return tf.tidy(() => {
    const probe = fused(...inputs);
    expect(probe, `a fused kernel runs on ${tf.getBackend()}`).toBeDefined();
    const w = randomTensor(probe!.shape, 99);
    const lossOf =
      (f: (...xs: tf.Tensor[]) => tf.Tensor | undefined) =>
      (...xs: tf.Tensor[]) =>
        f(...xs)!
          .mul(w)
          .sum() as tf.Scalar;
    const got = tf.grads(lossOf(fused))(inputs);
    const want = tf.grads(lossOf(reference))(inputs);
    const yGot = probe!.dataSync() as Float32Array;
    const yWant = reference(...inputs).dataSync() as Float32Array;
    expectClose(yGot, yWant, tol, 'output');
    got.forEach((g, i) =>
      expectClose(g.dataSync() as Float32Array, want[i].dataSync() as Float32Array, tol, `gradient of input ${i}`),
    );
    return yGot;
  });
}

/** Every element within tol·(1 + |want|). */
export function expectClose(got: Float32Array, want: Float32Array, tol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at} (got ${got[at]}, want ${want[at]})`).toBeLessThanOrEqual(tol);
}
