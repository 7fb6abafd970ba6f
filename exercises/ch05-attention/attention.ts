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
  throw new Error('TODO: implement maskedAttention (see the chapter 05 notebook, section Masks: causal and padding)');
}
