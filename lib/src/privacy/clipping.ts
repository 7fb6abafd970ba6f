/**
 * Per-example gradient clipping, the first half of DP-SGD: bound how much any one example can
 * move the model, so that the noise added afterwards hides it. For a named gradient map the
 * training folder's clipByGlobalNorm does the same per example; this is the batched form.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Clip each row of stacked per-example gradients (B, P) to L2 norm ≤ maxNorm → (B, P). */
export function clipRows(perExample: tf.Tensor2D, maxNorm: number): tf.Tensor2D {
  if (!(maxNorm > 0)) throw new Error(`clipping norm must be > 0, got ${maxNorm}`);
  return tf.tidy(() => {
    const norms = tf.sqrt(tf.sum(tf.square(perExample), 1, true)); // (B, 1)
    // min(1, C/‖g‖): a row already inside the ball is left alone, not stretched onto it.
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norms, 1e-12))); // (B, 1)
    return tf.mul(perExample, scale) as tf.Tensor2D; // (B, P)
  });
}
