/**
 * Gradient clipping by global norm: if the norm of all gradients together exceeds maxNorm,
 * scale every gradient by the same factor so it equals maxNorm. The direction is kept; only the step shrinks.
 * `clipScaleReference` is the norm and the factor as TF.js ops; on wasm and cpu one kernel over the whole list of
 * gradients computes both (accel/src/kernels/global-norm.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops } from '../ops';
import type { NamedTensors } from '../model/params';

/** The global norm () of tensors, √(Σᵢ Σ tᵢ²), and the clip factor () min(1, maxNorm / norm), as TF.js ops. */
export function clipScaleReference(tensors: tf.Tensor[], maxNorm: number): { norm: tf.Scalar; scale: tf.Scalar } {
  return tf.tidy(() => {
    const norm = (tensors.length ? tf.addN(tensors.map((g) => g.square().sum())).sqrt() : tf.scalar(0)) as tf.Scalar;
    // maxNorm = ∞ disables clipping: ∞ / max(norm, ∞) would be NaN.
    const scale = maxNorm === Infinity ? tf.scalar(1) : (tf.scalar(maxNorm).div(norm.maximum(maxNorm)) as tf.Scalar);
    return { norm, scale };
  });
}

function normAndScale(tensors: tf.Tensor[], maxNorm: number): { norm: tf.Scalar; scale: tf.Scalar } {
  const fused = ops.globalNorm(tensors, maxNorm);
  return fused ? { norm: fused.norm, scale: fused.factor } : clipScaleReference(tensors, maxNorm);
}

/** Global L2 norm of named tensors → scalar (). */
export function globalNorm(tensors: NamedTensors): tf.Scalar {
  const { norm, scale } = normAndScale(Object.values(tensors), Infinity);
  scale.dispose();
  return norm;
}

/**
 * The factor clipByGlobalNorm would scale every gradient by, min(1, maxNorm / norm) (), and the norm before
 * clipping (); both stay on the device. Pass the factor to `adamwStep` as `gradScale` to clip without scaled
 * copies of the gradients. Caller disposes both.
 */
export function clipScale(grads: NamedTensors, maxNorm: number): { scale: tf.Scalar; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`clip norm must be positive, got ${maxNorm}; pass Infinity to disable clipping`);
  return normAndScale(Object.values(grads), maxNorm);
}

/** Scale gradients so their global norm is at most maxNorm; returns new tensors and the norm before clipping (). Caller disposes. */
export function clipByGlobalNorm(grads: NamedTensors, maxNorm: number): { grads: NamedTensors; norm: tf.Scalar } {
  // The factor stays on the device: reading the norm back every step would stall the pipeline.
  const { scale, norm } = clipScale(grads, maxNorm);
  // One Multiply per gradient: on wasm faster than one JS loop over them all (kernels/global-norm.ts says why).
  const clipped = tf.tidy(() => {
    const out: NamedTensors = {};
    for (const [name, g] of Object.entries(grads)) out[name] = g.mul(scale);
    return out;
  });
  scale.dispose();
  return { grads: clipped, norm };
}
