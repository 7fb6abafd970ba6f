/**
 * A transformer block: attention mixes information across positions, the feed-forward network transforms
 * each position, and residual connections with layer norm keep a deep stack trainable.
 *   pre-LN (GPT-2):       x = x + Attn(LN(x));   x = x + FFN(LN(x))
 *   post-LN (2017 paper): x = LN(x + Attn(x));   x = LN(x + FFN(x))
 * A decoder block of an encoder–decoder adds cross-attention to the encoder's output between the two.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { Params } from './params';
import { addLayerNorm, addLinear, maybeParam, param } from './init';
import { layerNorm } from './layernorm';
import { feedForward } from './mlp';
import { crossAttention, maybeDropout, selfAttention, type MultiHeadOptions } from './multihead';

/** What a block is made of. */
export interface BlockConfig {
  nEmbd: number;
  nHead: number;
  norm?: 'pre' | 'post';
  bias?: boolean;
  /** Add cross-attention (decoder block of an encoder–decoder). */
  cross?: boolean;
}

/** How a block runs on one input. */
export interface BlockOptions extends Omit<MultiHeadOptions, 'nHead' | 'keyMask'> {
  /** Additive mask on the block's own keys, e.g. padding (B, 1, 1, T). */
  selfMask?: tf.Tensor;
  /** Encoder output (B, S, C) for cross-attention, and its additive key mask (B, 1, 1, S). */
  memory?: tf.Tensor;
  memoryMask?: tf.Tensor;
  /** When given, the cross-attention weights (B, H, T, S) are pushed here (the caller disposes them). */
  crossWeightsOut?: tf.Tensor[];
}

/**
 * Add a block's parameters under `prefix` (e.g. `transformer.h.0`), GPT-2 initialisation: weights N(0, 0.02²),
 * the projections that write into the residual stream N(0, (0.02/√(2·nLayer))²), biases 0, norm gains 1.
 */
export function initBlock(params: Params, prefix: string, config: BlockConfig, nLayer: number, rng: Rng): void {
  const C = config.nEmbd;
  const bias = config.bias ?? true;
  const std = 0.02;
  const residualStd = std / Math.sqrt(2 * nLayer);
  addLayerNorm(params, `${prefix}.ln_1`, C, bias);
  addLinear(params, `${prefix}.attn.c_attn`, C, 3 * C, std, bias, rng);
  addLinear(params, `${prefix}.attn.c_proj`, C, C, residualStd, bias, rng);
  if (config.cross) {
    addLayerNorm(params, `${prefix}.ln_cross`, C, bias);
    addLinear(params, `${prefix}.cross_attn.c_q`, C, C, std, bias, rng);
    addLinear(params, `${prefix}.cross_attn.c_kv`, C, 2 * C, std, bias, rng);
    addLinear(params, `${prefix}.cross_attn.c_proj`, C, C, residualStd, bias, rng);
  }
  addLayerNorm(params, `${prefix}.ln_2`, C, bias);
  addLinear(params, `${prefix}.mlp.c_fc`, C, 4 * C, std, bias, rng);
  addLinear(params, `${prefix}.mlp.c_proj`, 4 * C, C, residualStd, bias, rng);
}

function norm(params: Params, name: string, x: tf.Tensor): tf.Tensor {
  return layerNorm(x, param(params, `${name}.weight`), maybeParam(params, `${name}.bias`));
}

/** One block under `prefix` on x (B, T, C) → (B, T, C). */
export function transformerBlock(params: Params, prefix: string, x: tf.Tensor, config: BlockConfig, o: BlockOptions = {}): tf.Tensor3D {
  return tf.tidy(() => {
    const att: MultiHeadOptions = { ...o, nHead: config.nHead, keyMask: o.selfMask };
    const hasCross = `${prefix}.cross_attn.c_q.weight` in params;
    if (hasCross && !o.memory) throw new Error(`block ${prefix} has cross-attention but no memory was given: pass the encoder output as memory`);
    const crossOpts: MultiHeadOptions = { ...o, nHead: config.nHead, keyMask: o.memoryMask, causal: false, rope: false, cache: undefined, weightsOut: o.crossWeightsOut };
    if ((config.norm ?? 'pre') === 'pre') {
      x = x.add(selfAttention(params, `${prefix}.attn`, norm(params, `${prefix}.ln_1`, x), att)); // (B, T, C)
      if (hasCross) x = x.add(crossAttention(params, `${prefix}.cross_attn`, norm(params, `${prefix}.ln_cross`, x), o.memory!, crossOpts));
      x = x.add(maybeDropout(feedForward(params, `${prefix}.mlp`, norm(params, `${prefix}.ln_2`, x)), o.dropout, o.training, o.rng));
    } else {
      x = norm(params, `${prefix}.ln_1`, x.add(selfAttention(params, `${prefix}.attn`, x, att)));
      if (hasCross) x = norm(params, `${prefix}.ln_cross`, x.add(crossAttention(params, `${prefix}.cross_attn`, x, o.memory!, crossOpts)));
      x = norm(params, `${prefix}.ln_2`, x.add(maybeDropout(feedForward(params, `${prefix}.mlp`, x), o.dropout, o.training, o.rng)));
    }
    return x as tf.Tensor3D; // (B, T, C)
  });
}
