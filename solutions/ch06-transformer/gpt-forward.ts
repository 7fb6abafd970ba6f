import { feedForward, layerNorm, selfAttention, tf, type GPTConfig, type Params } from '@how-llms-work/lib';

/** An attention layer as the GPT calls it: parameters under `prefix` (e.g. 'transformer.h.0.attn'), x (B, T, C) → (B, T, C). */
export type AttentionLayer = (params: Params, prefix: string, x: tf.Tensor3D, nHead: number) => tf.Tensor3D;

/** The library's causal self-attention: the default layer (pass your chapter 5 `causalSelfAttention` instead to use your own). */
export const libraryAttention: AttentionLayer = (params, prefix, x, nHead) =>
  selfAttention(params, prefix, x, { nHead, causal: true });

/**
 * The whole GPT forward pass, ids (B, T) int32 → logits (B, T, V), for a model made by the library's
 * `initGPT(config)` with its defaults (learned positions, pre-LN blocks; biases unless `config.bias` is false:
 * then every `.bias` entry is absent and you add nothing). The parameters, with C = nEmbd:
 *   transformer.wte.weight (V, C)            token embeddings, one row per token id
 *   transformer.wpe.weight (blockSize, C)    position embeddings, one row per position 0 … blockSize − 1
 *   transformer.h.{i}.ln_1.{weight, bias}, transformer.h.{i}.attn.*, transformer.h.{i}.ln_2.{weight, bias},
 *   transformer.h.{i}.mlp.*                  block i = 0 … nLayer − 1
 *   transformer.ln_f.{weight, bias}          the final layer norm
 * The steps:
 *   1. x = wte[ids] + wpe[0 … T − 1]                                         (B, T, C)
 *   2. for each block i:  x = x + attention(params, 'transformer.h.{i}.attn', LN₁(x), nHead)
 *                         x = x + feedForward(params, 'transformer.h.{i}.mlp', LN₂(x))
 *   3. x = LN_f(x), where LN(x) = layerNorm(x, params['….weight'], params['….bias']) from the library
 *   4. logits = x wteᵀ (B, T, V): the output head is the token embedding itself (tied weights).
 * Call `attention` for every block's attention (it defaults to the library's layer). T larger than blockSize throws
 * an Error naming T and blockSize. Differentiable tf ops only; leave no intermediate tensor behind.
 *
 * Example: with every attn.c_proj and mlp.c_proj weight and bias zero, the blocks add nothing and the logits are
 * LN_f(wte[ids] + wpe) wteᵀ: a bigram-like model that sees only the current token and its position.
 */
export function gptForward(
  params: Params,
  config: GPTConfig,
  ids: tf.Tensor2D,
  attention: AttentionLayer = libraryAttention,
): tf.Tensor3D {
  // BEGIN SOLUTION: Stacking, the output head and softmax
  const [B, T] = ids.shape;
  const { nEmbd: C, vocabSize: V, blockSize } = config;
  if (T > blockSize)
    throw new Error(`sequence length T = ${T} exceeds blockSize = ${blockSize}: crop to the last ${blockSize} tokens`);
  return tf.tidy(() => {
    const norm = (name: string, h: tf.Tensor) => layerNorm(h, params[`${name}.weight`], params[`${name}.bias`]);
    const tokens = tf.gather(params['transformer.wte.weight'], ids.reshape([B * T])).reshape([B, T, C]);
    let x: tf.Tensor = tokens.add(params['transformer.wpe.weight'].slice([0, 0], [T, C])); // (B, T, C)
    for (let i = 0; i < config.nLayer; i++) {
      const block = `transformer.h.${i}`;
      x = x.add(attention(params, `${block}.attn`, norm(`${block}.ln_1`, x) as tf.Tensor3D, config.nHead));
      x = x.add(feedForward(params, `${block}.mlp`, norm(`${block}.ln_2`, x)));
    }
    const h = norm('transformer.ln_f', x).reshape([B * T, C]);
    return tf.matMul(h, params['transformer.wte.weight'], false, true).reshape([B, T, V]) as tf.Tensor3D; // (B, T, V)
  });
  // END SOLUTION
}
