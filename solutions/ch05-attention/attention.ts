import { tf } from '@how-llms-work/lib';

/**
 * Single-head scaled dot-product attention with masks:
 *   weights = softmax(q kᵀ / √D + mask),   output = weights · v
 * q (B, Tq, D), k (B, Tk, D), v (B, Tk, Dv) → output (B, Tq, Dv), weights (B, Tq, Tk).
 * D is the width of q and k. With `causal`, query i may attend to keys j ≤ i + (Tk − Tq) only
 * (with Tq = Tk: j ≤ i). With `keep` (B, Tk) of 1s and 0s, keys where keep is 0 (padding) get weight 0.
 * Masked entries get exactly zero weight: add a large negative number (e.g. −1e9) to their scores before softmax.
 *
 * Example: q = k = [[[1, 0], [0, 1]]], v = [[[1, 2], [3, 4]]], causal:
 *   scores = [[1, 0], [0, 1]] / √2; row 0 sees key 0 only → output row 0 = [1, 2];
 *   row 1: weights = softmax([0, 0.7071]) = [0.3302, 0.6698] → output row 1 ≈ [2.3395, 3.3395].
 */
export function maskedAttention(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  options: { causal?: boolean; keep?: tf.Tensor2D } = {},
): { output: tf.Tensor3D; weights: tf.Tensor3D } {
  // BEGIN SOLUTION: Masks: causal and padding
  return tf.tidy(() => {
    const [, Tq, D] = q.shape;
    const Tk = k.shape[1];
    let scores: tf.Tensor = tf.matMul(q, k, false, true).div(Math.sqrt(D)); // (B, Tq, Tk)
    if (options.causal) {
      const allowed = tf.linalg.bandPart(tf.ones([Tq, Tk]), -1, Tk - Tq); // (Tq, Tk): 1 where j ≤ i + Tk − Tq
      scores = scores.add(tf.scalar(1).sub(allowed).mul(-1e9));
    }
    if (options.keep) scores = scores.add(tf.scalar(1).sub(options.keep.toFloat()).mul(-1e9).expandDims(1)); // (B, 1, Tk)
    const weights = tf.softmax(scores, -1) as tf.Tensor3D; // (B, Tq, Tk)
    return { output: tf.matMul(weights, v) as tf.Tensor3D, weights };
  });
  // END SOLUTION
}
