/**
 * Per-example gradient clipping, the first half of DP-SGD: bound how much any one example can
 * move the model, so that the noise added afterwards hides it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../model/params';

/** The L2 norm of all tensors of a named map taken together, as a scalar tensor (). */
export function globalNormOf(named: NamedTensors): tf.Scalar {
  return tf.tidy(() => {
    const squares = Object.values(named).map((t) => tf.sum(tf.square(t)));
    return tf.sqrt(tf.addN(squares)) as tf.Scalar;
  });
}

/** Scale a named gradient so its global L2 norm is at most maxNorm; returns new tensors and the norm before clipping. */
export function clipToNorm(grads: NamedTensors, maxNorm: number): { clipped: NamedTensors; norm: number } {
  if (!(maxNorm > 0)) throw new Error(`clipping norm must be > 0, got ${maxNorm}`);
  const normT = globalNormOf(grads);
  const norm = normT.dataSync()[0];
  normT.dispose();
  // min(1, C/‖g‖): a gradient already inside the ball is left alone, not stretched to it.
  const scale = Math.min(1, maxNorm / Math.max(norm, 1e-12));
  const clipped: NamedTensors = {};
  for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
  return { clipped, norm };
}

/** Clip each row of stacked per-example gradients (B, P) to L2 norm ≤ maxNorm → (B, P). */
export function clipRows(perExample: tf.Tensor2D, maxNorm: number): tf.Tensor2D {
  if (!(maxNorm > 0)) throw new Error(`clipping norm must be > 0, got ${maxNorm}`);
  return tf.tidy(() => {
    const norms = tf.sqrt(tf.sum(tf.square(perExample), 1, true)); // (B, 1)
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norms, 1e-12))); // (B, 1)
    return tf.mul(perExample, scale) as tf.Tensor2D; // (B, P)
  });
}
