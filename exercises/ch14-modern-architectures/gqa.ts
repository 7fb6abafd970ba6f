import { tf } from '@how-llms-work/lib';

/**
 * Share key/value heads: kv (B, Hkv, T, D) → (B, Hkv·groups, T, D), where output head h is input head ⌊h / groups⌋
 * (the copies of one head sit next to each other, as Llama's repeat_kv does).
 *
 * Example: heads [[a]], [[b]] (Hkv = 2, T = 1), groups = 2 → heads [[a]], [[a]], [[b]], [[b]].
 */
export function repeatKV(kv: tf.Tensor4D, groups: number): tf.Tensor4D {
  throw new Error('TODO: implement repeatKV (see the chapter 14 notebook, section Grouped-query attention)');
}

/**
 * Causal grouped-query attention: q (B, H, T, D) with H query heads, k and v (B, Hkv, T, D) with Hkv key/value heads,
 * Hkv a divisor of H; query head h attends with K/V head ⌊h / (H / Hkv)⌋:
 *   out_h = softmax(q_h k_jᵀ / √D + causal mask) v_j → (B, H, T, D).
 * If Hkv does not divide H, throw an Error whose message contains both numbers.
 *
 * Example: with Hkv = H it is ordinary causal multi-head attention; with Hkv = 1 every query head reads the same K, V.
 */
export function groupedQueryAttend(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor4D {
  throw new Error('TODO: implement groupedQueryAttend (see the chapter 14 notebook, section Grouped-query attention)');
}
