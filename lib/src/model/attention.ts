/**
 * Scaled dot-product attention: softmax(Q Kᵀ / √D + mask) V, with D the width of one head.
 * Dividing by √D keeps the scores' variance near 1 whatever the head width, so softmax does not saturate.
 * Masks are additive: 0 where a query may look, a large negative number where it may not, which
 * softmax turns into a weight of exactly 0 (a `where` on a broadcast boolean mask is slower and has no gradient benefit).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The additive value for "may not attend": large enough that exp underflows to 0, finite so gradients stay finite. */
export const MASKED = -1e9;

/** Causal mask → (Tq, Tk): query i (at absolute position offset + i) sees keys 0 … offset + i; offset defaults to Tk − Tq (cached keys first). */
export function causalMask(Tq: number, Tk: number, offset = Tk - Tq): tf.Tensor2D {
  if (offset < 0 || offset + Tq > Tk) throw new Error(`causal mask: ${Tq} queries at offset ${offset} need at least ${offset + Tq} keys, got ${Tk}`);
  const values = new Float32Array(Tq * Tk);
  for (let i = 0; i < Tq; i++) for (let j = offset + i + 1; j < Tk; j++) values[i * Tk + j] = MASKED;
  return tf.tensor2d(values, [Tq, Tk]);
}

/** Padding mask from keep (B, Tk) with 1 for a real token and 0 for padding → additive (B, 1, 1, Tk). */
export function paddingMask(keep: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, Tk] = keep.shape as number[];
    return tf.scalar(1).sub(keep.toFloat()).mul(MASKED).reshape([B, 1, 1, Tk]) as tf.Tensor4D;
  });
}

/** Options of scaledDotProductAttention. */
export interface AttentionOptions {
  /** Additive mask broadcastable to (B, H, Tq, Tk): causalMask, paddingMask, or their sum. */
  mask?: tf.Tensor;
  /** Dropout on the attention weights (training only); needs `seed`. */
  dropout?: number;
  seed?: number;
}

/** q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, D) → output (B, H, Tq, D) and weights (B, H, Tq, Tk). */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  options: AttentionOptions = {},
): { output: tf.Tensor4D; weights: tf.Tensor4D } {
  return tf.tidy(() => {
    const D = q.shape[q.rank - 1];
    if (k.shape[k.rank - 1] !== D) throw new Error(`queries have width ${D} but keys ${k.shape[k.rank - 1]}: they must match`);
    let scores = tf.matMul(q, k, false, true).div(Math.sqrt(D)); // (B, H, Tq, Tk)
    if (options.mask) scores = scores.add(options.mask);
    const weights = tf.softmax(scores, -1) as tf.Tensor4D; // (B, H, Tq, Tk); each row sums to 1
    let mixing: tf.Tensor = weights;
    if (options.dropout && options.dropout > 0) {
      if (options.seed === undefined) throw new Error('attention dropout needs a seed: pass one from an Rng (rng.seed())');
      mixing = tf.dropout(weights, options.dropout, undefined, options.seed);
    }
    const output = tf.matMul(mixing, v) as tf.Tensor4D; // (B, H, Tq, D)
    return { output, weights };
  });
}

/** Split x (B, T, C) into H heads → (B, H, T, C/H). */
export function splitHeads(x: tf.Tensor, H: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape as number[];
    if (C % H !== 0) throw new Error(`width ${C} is not divisible by ${H} heads: choose nEmbd a multiple of nHead`);
    return x.reshape([B, T, H, C / H]).transpose([0, 2, 1, 3]) as tf.Tensor4D; // (B, H, T, D)
  });
}

/** Merge heads x (B, H, T, D) back to (B, T, H·D). */
export function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, H, T, D] = x.shape as number[];
    return x.transpose([0, 2, 1, 3]).reshape([B, T, H * D]) as tf.Tensor3D; // (B, T, C)
  });
}
