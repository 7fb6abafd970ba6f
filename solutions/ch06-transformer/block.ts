import { feedForward, layerNorm, selfAttention, tf, type Params } from '@how-llms-work/lib';

/**
 * The forward pass of one pre-LN transformer block (GPT-2's), x (B, T, C) → (B, T, C):
 *   x = x + Attn(LN₁(x))      causal multi-head self-attention
 *   x = x + FFN(LN₂(x))       feed-forward network
 * Build it from the library's parts, with the parameters named under `prefix` (e.g. 'transformer.h.0'):
 *   layerNorm(x, params[`${prefix}.ln_1.weight`], params[`${prefix}.ln_1.bias`])   (and ln_2 likewise)
 *   selfAttention(params, `${prefix}.attn`, x, { nHead, causal: true })
 *   feedForward(params, `${prefix}.mlp`, x)
 *
 * Example: with every `c_proj` weight and bias set to zero, Attn and FFN output zeros and the block returns x unchanged
 * (the residual path): that is why a deep stack of blocks starts close to the identity and trains.
 */
export function preLNBlock(params: Params, prefix: string, x: tf.Tensor3D, nHead: number): tf.Tensor3D {
  // BEGIN SOLUTION: One block: residuals, pre-LN and post-LN
  return tf.tidy(() => {
    const ln = (name: string, h: tf.Tensor) => layerNorm(h, params[`${prefix}.${name}.weight`], params[`${prefix}.${name}.bias`]);
    const h = x.add(selfAttention(params, `${prefix}.attn`, ln('ln_1', x), { nHead, causal: true })); // (B, T, C)
    return h.add(feedForward(params, `${prefix}.mlp`, ln('ln_2', h))) as tf.Tensor3D; // (B, T, C)
  });
  // END SOLUTION
}
