/**
 * Scaled dot-product attention: softmax(Q Kᵀ / √D + mask) V, with D the width of one head.
 * Dividing by √D keeps the scores' variance near 1 whatever the head width, so softmax does not saturate.
 * Masks are additive: 0 where a query may look, a large negative number where it may not, which
 * softmax turns into a weight of exactly 0 (a `where` on a broadcast boolean mask is slower and has no gradient benefit).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops } from '../ops';

/** The additive value for "may not attend": large enough that exp underflows to 0, finite so gradients stay finite. */
export const MASKED = -1e9;

/** Causal mask → (Tq, Tk): query i (at absolute position offset + i) sees keys 0 … offset + i; offset defaults to Tk − Tq (cached keys first). */
export function causalMask(Tq: number, Tk: number, offset = Tk - Tq): tf.Tensor2D {
  if (offset < 0 || offset + Tq > Tk)
    throw new Error(`causal mask: ${Tq} queries at offset ${offset} need at least ${offset + Tq} keys, got ${Tk}`);
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
  /**
   * Causal attention without a mask tensor: query i, at absolute position offset + i, sees keys 0 … offset + i.
   * Same weights as `mask: causalMask(Tq, Tk, offset)`; combined with `mask` when both are given.
   */
  causal?: boolean;
  /** Absolute position of the first query among the keys, for `causal`; default Tk − Tq (cached keys first). */
  offset?: number;
  /** Dropout on the attention weights (training only); needs `seed`. */
  dropout?: number;
  seed?: number;
}

/**
 * q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, D) → output (B, H, Tq, D) and weights (B, H, Tq, Tk).
 * Where a faster `ops.causalSoftmax` is registered, scale + causal mask + softmax is one kernel;
 * scaledDotProductAttentionReference is the same computation as the formula's ops, which run everywhere else.
 */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  options: AttentionOptions = {},
): { output: tf.Tensor4D; weights: tf.Tensor4D } {
  return attention(q, k, v, options, true);
}

/** scaledDotProductAttention composed of TF.js ops, exactly the formula: the reference the fused kernel is tested against. */
export function scaledDotProductAttentionReference(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  options: AttentionOptions = {},
): { output: tf.Tensor4D; weights: tf.Tensor4D } {
  return attention(q, k, v, options, false);
}

function attention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  options: AttentionOptions,
  fused: boolean,
): { output: tf.Tensor4D; weights: tf.Tensor4D } {
  return tf.tidy(() => {
    const D = q.shape[q.rank - 1];
    if (k.shape[k.rank - 1] !== D)
      throw new Error(`queries have width ${D} but keys ${k.shape[k.rank - 1]}: they must match`);
    const Tq = q.shape[q.rank - 2];
    const Tk = k.shape[k.rank - 2];
    const offset = options.offset ?? Tk - Tq;
    if (options.causal && (offset < 0 || offset + Tq > Tk))
      throw new Error(
        `causal attention: ${Tq} queries at offset ${offset} need at least ${offset + Tq} keys, got ${Tk}`,
      );
    const raw = tf.matMul(q, k, false, true); // (B, H, Tq, Tk)
    // Fused: one kernel, the mask computed in its loop. A general additive mask takes the ops below.
    const fusedWeights =
      fused && !options.mask ? ops.causalSoftmax(raw, 1 / Math.sqrt(D), Boolean(options.causal), offset) : undefined;
    const weights = (fusedWeights ??
      tf.softmax(maskedScores(raw.div(Math.sqrt(D)), Tq, Tk, offset, options), -1)) as tf.Tensor4D; // (B, H, Tq, Tk); each row sums to 1
    let mixing: tf.Tensor = weights;
    if (options.dropout && options.dropout > 0) {
      if (options.seed === undefined)
        throw new Error('attention dropout needs a seed: pass one from an Rng (rng.seed())');
      mixing = tf.dropout(weights, options.dropout, undefined, options.seed);
    }
    const output = tf.matMul(mixing, v) as tf.Tensor4D; // (B, H, Tq, D)
    return { output, weights };
  });
}

// Scores (B, H, Tq, Tk) plus the causal mask and the additive mask the options ask for.
function maskedScores(scores: tf.Tensor, Tq: number, Tk: number, offset: number, options: AttentionOptions): tf.Tensor {
  // A last query (offset + Tq = Tk with Tq = 1, as in cached generation) sees every key: its causal mask is all zeros.
  if (options.causal && !(Tq === 1 && offset === Tk - 1)) scores = scores.add(causalMask(Tq, Tk, offset));
  if (options.mask) scores = scores.add(options.mask);
  return scores;
}

/** Split x (B, T, C) into H heads → (B, H, T, C/H). */
export function splitHeads(x: tf.Tensor, H: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape as number[];
    if (C % H !== 0) throw new Error(`width ${C} is not divisible by ${H} heads: choose nEmbd a multiple of nHead`);
    // One kernel where a faster version is registered (a copy in the transposed order), else reshape + transpose.
    return (ops.splitHeads(x, 1, H, T)?.[0] ?? x.reshape([B, T, H, C / H]).transpose([0, 2, 1, 3])) as tf.Tensor4D; // (B, H, T, D)
  });
}

/** Merge heads x (B, H, T, D) back to (B, T, H·D). */
export function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, H, T, D] = x.shape as number[];
    return (ops.mergeHeads([x], 3) ?? x.transpose([0, 2, 1, 3]).reshape([B, T, H * D])) as tf.Tensor3D; // (B, T, C)
  });
}
