/**
 * Gradient clipping by global norm: if the norm of all gradients together exceeds maxNorm,
 * scale every gradient by the same factor so it equals maxNorm. The direction is kept; only the step shrinks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../model/params';

/** Global L2 norm of named tensors → scalar (). */
export function globalNorm(tensors: NamedTensors): tf.Scalar {
  return tf.tidy(() => tf.addN(Object.values(tensors).map((g) => g.square().sum())).sqrt() as tf.Scalar);
}

/** Scale gradients so their global norm is at most maxNorm; returns new tensors and the norm before clipping (). Caller disposes. */
export function clipByGlobalNorm(grads: NamedTensors, maxNorm: number): { grads: NamedTensors; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`clip norm must be positive, got ${maxNorm}; pass Infinity to disable clipping`);
  const norm = globalNorm(grads);
  // The factor stays on the device: reading the norm back every step would stall the pipeline.
  const clipped = tf.tidy(() => {
    const factor = tf.scalar(maxNorm).div(norm.maximum(maxNorm)); // () min(1, maxNorm / norm)
    const out: NamedTensors = {};
    for (const [name, g] of Object.entries(grads)) out[name] = g.mul(factor);
    return out;
  });
  return { grads: clipped, norm };
}
