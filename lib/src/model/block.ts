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
import { rmsNorm } from './rmsnorm';
import { initSwiGLU, swigluFeedForward } from './swiglu';
import { checkKVHeads, groupedQueryAttention } from './gqa';

/** What a block is made of. */
export interface BlockConfig {
  nEmbd: number;
  nHead: number;
  norm?: 'pre' | 'post';
  bias?: boolean;
  /** Add cross-attention (decoder block of an encoder–decoder). */
  cross?: boolean;
  /** Which norm: 'layer' (GPT-2, the default) or 'rms' (Llama: RMSNorm, no bias). */
  normalization?: 'layer' | 'rms';
  /** Which feed-forward network: 'gelu' (GPT-2, the default: 4C, GELU) or 'swiglu' (Llama: gated, 8C/3). */
  mlp?: 'gelu' | 'swiglu';
  /** Key/value heads of self-attention (default nHead): fewer is grouped-query attention, 1 multi-query. */
  kvHeads?: number;
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
  // RMSNorm has a gain and no bias: a layer norm's parameters without the bias.
  const normBias = bias && (config.normalization ?? 'layer') === 'layer';
  const kvHeads = config.kvHeads ?? config.nHead;
  checkKVHeads(config.nHead, kvHeads);
  addLayerNorm(params, `${prefix}.ln_1`, C, normBias);
  addLinear(params, `${prefix}.attn.c_attn`, C, C + 2 * kvHeads * (C / config.nHead), std, bias, rng); // (3C, C) when kvHeads = nHead
  addLinear(params, `${prefix}.attn.c_proj`, C, C, residualStd, bias, rng);
  if (config.cross) {
    addLayerNorm(params, `${prefix}.ln_cross`, C, normBias);
    addLinear(params, `${prefix}.cross_attn.c_q`, C, C, std, bias, rng);
    addLinear(params, `${prefix}.cross_attn.c_kv`, C, 2 * C, std, bias, rng);
    addLinear(params, `${prefix}.cross_attn.c_proj`, C, C, residualStd, bias, rng);
  }
  addLayerNorm(params, `${prefix}.ln_2`, C, normBias);
  if ((config.mlp ?? 'gelu') === 'swiglu') {
    initSwiGLU(params, `${prefix}.mlp`, C, std, residualStd, bias, rng);
  } else {
    addLinear(params, `${prefix}.mlp.c_fc`, C, 4 * C, std, bias, rng);
    addLinear(params, `${prefix}.mlp.c_proj`, 4 * C, C, residualStd, bias, rng);
  }
}

/** The block's norm `name` (layer norm or RMSNorm, as the config says) on x (…, C) → (…, C). */
export function blockNorm(
  params: Params,
  name: string,
  x: tf.Tensor,
  config: Pick<BlockConfig, 'normalization'> = {},
): tf.Tensor {
  if ((config.normalization ?? 'layer') === 'rms') return rmsNorm(x, param(params, `${name}.weight`));
  return layerNorm(x, param(params, `${name}.weight`), maybeParam(params, `${name}.bias`));
}

/** One block under `prefix` on x (B, T, C) → (B, T, C). */
export function transformerBlock(
  params: Params,
  prefix: string,
  x: tf.Tensor,
  config: BlockConfig,
  o: BlockOptions = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const att: MultiHeadOptions = { ...o, nHead: config.nHead, keyMask: o.selfMask };
    const hasCross = `${prefix}.cross_attn.c_q.weight` in params;
    if (hasCross && !o.memory)
      throw new Error(`block ${prefix} has cross-attention but no memory was given: pass the encoder output as memory`);
    const crossOpts: MultiHeadOptions = {
      ...o,
      nHead: config.nHead,
      keyMask: o.memoryMask,
      causal: false,
      rope: false,
      cache: undefined,
      weightsOut: o.crossWeightsOut,
    };
    const norm = (name: string, h: tf.Tensor) => blockNorm(params, name, h, config);
    const kvHeads = config.kvHeads ?? config.nHead;
    // The config's variants: grouped-query attention when kvHeads < nHead, SwiGLU for mlp: 'swiglu'.
    const attend = (h: tf.Tensor) =>
      kvHeads === config.nHead
        ? selfAttention(params, `${prefix}.attn`, h, att)
        : groupedQueryAttention(params, `${prefix}.attn`, h, { ...att, kvHeads });
    const ffn = (h: tf.Tensor) =>
      (config.mlp ?? 'gelu') === 'swiglu'
        ? swigluFeedForward(params, `${prefix}.mlp`, h)
        : feedForward(params, `${prefix}.mlp`, h);
    if ((config.norm ?? 'pre') === 'pre') {
      x = x.add(attend(norm(`${prefix}.ln_1`, x))); // (B, T, C)
      if (hasCross)
        x = x.add(crossAttention(params, `${prefix}.cross_attn`, norm(`${prefix}.ln_cross`, x), o.memory!, crossOpts));
      x = x.add(maybeDropout(ffn(norm(`${prefix}.ln_2`, x)), o.dropout, o.training, o.rng));
    } else {
      x = norm(`${prefix}.ln_1`, x.add(attend(x)));
      if (hasCross)
        x = norm(`${prefix}.ln_cross`, x.add(crossAttention(params, `${prefix}.cross_attn`, x, o.memory!, crossOpts)));
      x = norm(`${prefix}.ln_2`, x.add(maybeDropout(ffn(x), o.dropout, o.training, o.rng)));
    }
    return x as tf.Tensor3D; // (B, T, C)
  });
}
