import { tf, type Params } from '@how-llms-work/lib';

/**
 * Causal multi-head self-attention, GPT-2's attention layer: x (B, T, C) → (B, T, C).
 * Its parameters are named as the library names them, under `prefix` (e.g. 'transformer.h.0.attn'):
 *   `${prefix}.c_attn.weight` (3C, C) and `${prefix}.c_attn.bias` (3C): queries, keys and values in one projection;
 *   `${prefix}.c_proj.weight` (C, C) and `${prefix}.c_proj.bias` (C): the output projection.
 * Weights are stored (out, in), as PyTorch's nn.Linear: a projection is y = x Wᵀ + b. A model built with
 * `bias: false` has no `.bias` entries: then add nothing.
 *
 * The steps, with H = nHead heads of width D = C / H:
 *   1. qkv = x W_attnᵀ + b_attn (B, T, 3C); q, k, v are its first, second and third C columns.
 *   2. Split each into heads (B, H, T, D): head h takes the columns h·D … h·D + D − 1.
 *   3. Scores q kᵀ / √D (B, H, T, T); query t may see keys 0 … t only (a causal mask: a large negative number,
 *      such as −1e9, added where key > query); softmax over the keys.
 *   4. Weights · v (B, H, T, D); merge the heads back into (B, T, C) (head h into columns h·D … h·D + D − 1).
 *   5. Output = merged W_projᵀ + b_proj (B, T, C).
 * Use differentiable tf ops only (no dataSync, no arraySync): the model trains through this function with tf.grad.
 * Leave no intermediate tensor behind (tf.tidy). If C is not divisible by nHead, throw an Error naming both.
 *
 * Example: with the query and key rows of c_attn.weight (rows 0 … 2C − 1) zero, its value rows (2C … 3C − 1) the
 * identity, every bias zero and c_proj.weight the identity, every score is 0, so output position t is the mean of
 * x over positions 0 … t: x = [[[1, 2], [3, 4], [5, 6]]] (nHead 1) → [[[1, 2], [2, 3], [3, 4]]].
 */
export function causalSelfAttention(params: Params, prefix: string, x: tf.Tensor3D, nHead: number): tf.Tensor3D {
  // BEGIN SOLUTION: Multi-head self-attention with projections
  const [B, T, C] = x.shape;
  if (C % nHead !== 0)
    throw new Error(`width C = ${C} is not divisible by nHead = ${nHead}: choose C a multiple of nHead`);
  const D = C / nHead;
  const project = (h: tf.Tensor, name: string) => {
    const y = tf.matMul(h.reshape([B * T, -1]), params[`${prefix}.${name}.weight`], false, true); // (B·T, out)
    const bias = params[`${prefix}.${name}.bias`];
    return bias ? y.add(bias) : y;
  };
  return tf.tidy(() => {
    const toHeads = (t: tf.Tensor) => t.reshape([B, T, nHead, D]).transpose([0, 2, 1, 3]); // (B, H, T, D)
    const [q, k, v] = tf.split(project(x, 'c_attn'), 3, -1).map(toHeads);
    const scores = tf.matMul(q, k, false, true).div(Math.sqrt(D)); // (B, H, T, T)
    // 1 on and below the diagonal (keys 0 … t for query t), 0 above; above becomes −1e9.
    const allowed = tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
    const weights = tf.softmax(scores.add(tf.scalar(1).sub(allowed).mul(-1e9)), -1); // (B, H, T, T)
    const merged = tf.matMul(weights, v).transpose([0, 2, 1, 3]); // (B, T, H, D)
    return project(merged, 'c_proj').reshape([B, T, C]) as tf.Tensor3D; // (B, T, C)
  });
  // END SOLUTION
}
