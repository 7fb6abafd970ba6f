import { tf } from '@how-llms-work/lib';

/**
 * Share key/value heads: kv (B, Hkv, T, D) → (B, Hkv·groups, T, D), where output head h is input head ⌊h / groups⌋
 * (the copies of one head sit next to each other, as Llama's repeat_kv does).
 *
 * Example: heads [[a]], [[b]] (Hkv = 2, T = 1), groups = 2 → heads [[a]], [[a]], [[b]], [[b]].
 */
export function repeatKV(kv: tf.Tensor4D, groups: number): tf.Tensor4D {
  // BEGIN SOLUTION: Grouped-query attention
  const [B, Hkv, T, D] = kv.shape;
  return tf.tidy(
    () =>
      kv
        .reshape([B, Hkv, 1, T * D])
        .tile([1, 1, groups, 1])
        .reshape([B, Hkv * groups, T, D]) as tf.Tensor4D,
  );
  // END SOLUTION
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
  // BEGIN SOLUTION: Grouped-query attention
  const H = q.shape[1];
  const Hkv = k.shape[1];
  if (H % Hkv !== 0) throw new Error(`${Hkv} key/value heads do not divide ${H} query heads`);
  return tf.tidy(() => {
    const [T, D] = [q.shape[2], q.shape[3]];
    const keys = repeatKV(k, H / Hkv);
    const values = repeatKV(v, H / Hkv);
    const scores = tf.matMul(q, keys, false, true).div(Math.sqrt(D)); // (B, H, T, T)
    const future = tf.linalg.bandPart(tf.ones([T, T]), 0, -1).sub(tf.eye(T)); // 1 above the diagonal
    const weights = tf.softmax(scores.add(future.mul(-1e9)), -1);
    return tf.matMul(weights, values) as tf.Tensor4D; // (B, H, T, D)
  });
  // END SOLUTION
}
