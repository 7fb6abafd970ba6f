/**
 * GPT: a decoder-only transformer. ids (B, T) → token embeddings (+ positions) → nLayer causal blocks
 * → final layer norm → logits (B, T, V) through the token embedding itself (tied weights).
 *
 * Parameter names are exactly those of nanoGPT's `state_dict` (PyTorch nn.Linear layout, weight (out, in)),
 * minus `lm_head.weight`, which is `transformer.wte.weight` (tied):
 *   transformer.wte.weight (V, C), transformer.wpe.weight (blockSize, C) [learned positions only],
 *   transformer.h.{i}.ln_1.{weight,bias}, .attn.c_attn.{weight (3C, C), bias}, .attn.c_proj.{weight (C, C), bias},
 *   transformer.h.{i}.ln_2.{weight,bias}, .mlp.c_fc.{weight (4C, C), bias}, .mlp.c_proj.{weight (C, 4C), bias},
 *   transformer.ln_f.{weight,bias} [pre-LN only; a post-LN stack already ends in a norm].
 * With `bias: false` every `.bias` is absent.
 * Today's variants (chapter 14), each switched on by one config field, defaults GPT-2's: `normalization: 'rms'`
 * (RMSNorm: norms keep only `.weight`), `mlp: 'swiglu'` (`.mlp.c_gate`, `.mlp.c_fc` (8C/3, C), `.mlp.c_proj`),
 * `kvHeads` < nHead (grouped-query attention: `.attn.c_attn` is ((nHead + 2·kvHeads)·D, C)), `positional: 'rope'`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { Params } from './params';
import { addLayerNorm, addNormal, param } from './init';
import { learnedPositions, tokenEmbedding } from './embedding';
import { sinusoidalEncoding } from './sinusoidal';
import { initBlock, transformerBlock } from './block';
import { maybeDropout } from './multihead';
import type { KVCache } from './kv-cache';
import { blockNorm } from './block';
import { checkKVHeads } from './gqa';
import { swigluHiddenWidth } from './swiglu';

export { createKVCache, disposeKVCache, type KVCache, type LayerKV } from './kv-cache';

/** A GPT's shape. Defaults: dropout 0, learned positions, pre-LN, biases on (GPT-2). */
export interface GPTConfig {
  vocabSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  dropout?: number;
  positional?: 'learned' | 'sinusoidal' | 'rope';
  norm?: 'pre' | 'post';
  bias?: boolean;
  /** 'layer' (GPT-2, default) or 'rms' (RMSNorm, as Llama). */
  normalization?: 'layer' | 'rms';
  /** 'gelu' (GPT-2, default) or 'swiglu' (gated feed-forward, as Llama). */
  mlp?: 'gelu' | 'swiglu';
  /** Key/value heads (default nHead): a divisor of nHead; fewer is grouped-query attention, 1 multi-query. */
  kvHeads?: number;
}

/** Llama's block at any size: RMSNorm, SwiGLU, rotary positions, no biases (kvHeads left to the caller). */
export const LLAMA_STYLE: Pick<GPTConfig, 'normalization' | 'mlp' | 'positional' | 'bias'> = {
  normalization: 'rms',
  mlp: 'swiglu',
  positional: 'rope',
  bias: false,
};

/** Options of one forward pass. */
export interface GPTForwardOptions {
  /** Use the cached keys/values of earlier positions and append this call's; ids are then only the new tokens. */
  cache?: KVCache;
  /** Apply dropout (needs `seed`). */
  training?: boolean;
  /** Seed for this pass's dropout masks: pass a fresh one each step (rng.seed()). */
  seed?: number;
  /** When given, filled with each layer's attention weights (B, H, T, Tk); the caller disposes them. */
  attentionWeights?: tf.Tensor[];
}

/** Check a config and say which field to fix. */
export function validateGPTConfig(config: GPTConfig): void {
  for (const key of ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`GPTConfig.${key} must be a positive integer, got ${value}`);
  }
  if (config.nEmbd % config.nHead !== 0)
    throw new Error(`GPTConfig.nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
  const dropout = config.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`GPTConfig.dropout must be in [0, 1), got ${dropout}`);
  if ((config.positional ?? 'learned') === 'rope' && (config.nEmbd / config.nHead) % 2 !== 0) {
    throw new Error(`RoPE needs an even head width, got nEmbd / nHead = ${config.nEmbd / config.nHead}`);
  }
  if (!['layer', 'rms'].includes(config.normalization ?? 'layer'))
    throw new Error(`GPTConfig.normalization must be 'layer' or 'rms', got ${config.normalization}`);
  if (!['gelu', 'swiglu'].includes(config.mlp ?? 'gelu'))
    throw new Error(`GPTConfig.mlp must be 'gelu' or 'swiglu', got ${config.mlp}`);
  checkKVHeads(config.nHead, config.kvHeads ?? config.nHead);
}

/** Parameters of a new GPT (see the file comment for names and shapes), GPT-2 initialisation, seeded. */
export function initGPT(config: GPTConfig, seed = 1337): Params {
  validateGPTConfig(config);
  const rng = new Rng(seed);
  const { vocabSize: V, blockSize, nLayer, nEmbd: C } = config;
  const bias = config.bias ?? true;
  const params: Params = {};
  addNormal(params, 'transformer.wte.weight', [V, C], 0.02, rng);
  if ((config.positional ?? 'learned') === 'learned')
    addNormal(params, 'transformer.wpe.weight', [blockSize, C], 0.02, rng);
  for (let i = 0; i < nLayer; i++) initBlock(params, `transformer.h.${i}`, { ...config, cross: false }, nLayer, rng);
  if ((config.norm ?? 'pre') === 'pre')
    addLayerNorm(params, 'transformer.ln_f', C, bias && (config.normalization ?? 'layer') === 'layer');
  return params;
}

/**
 * The number of parameters initGPT makes, by formula: V·C + [blockSize·C] + nLayer·(12C² + 13C) + 2C for GPT-2 with
 * biases (the tied head adds nothing); grouped-query attention shrinks the K and V projections to kvHeads·D rows,
 * SwiGLU has three C × 8C/3 matrices, RMSNorm keeps only its gain.
 */
export function gptParameterCount(config: GPTConfig): number {
  const { vocabSize: V, blockSize, nLayer: L, nEmbd: C } = config;
  const bias = config.bias ?? true;
  const normSize = bias && (config.normalization ?? 'layer') === 'layer' ? 2 * C : C;
  const kvWidth = (config.kvHeads ?? config.nHead) * (C / config.nHead);
  const attention = C * (C + 2 * kvWidth) + C * C + (bias ? C + 2 * kvWidth + C : 0); // c_attn, attn.c_proj
  const hidden = swigluHiddenWidth(C);
  const mlp =
    (config.mlp ?? 'gelu') === 'swiglu'
      ? 3 * C * hidden + (bias ? 2 * hidden + C : 0)
      : 8 * C * C + (bias ? 4 * C + C : 0);
  const perLayer = attention + mlp + 2 * normSize;
  const positions = (config.positional ?? 'learned') === 'learned' ? blockSize * C : 0;
  const finalNorm = (config.norm ?? 'pre') === 'pre' ? normSize : 0;
  return V * C + positions + L * perLayer + finalNorm;
}

/** Logits (B, T, V) for ids (B, T) int32; with a cache, ids are the new tokens and positions continue from cache.length. */
export function gptForward(
  params: Params,
  config: GPTConfig,
  ids: tf.Tensor2D,
  opts: GPTForwardOptions = {},
): tf.Tensor3D {
  const T = ids.shape[1];
  const cache = opts.cache;
  const offset = cache ? cache.length : 0;
  if (offset + T > config.blockSize) {
    throw new Error(
      cache
        ? `KV cache holds ${offset} positions and ${T} more would exceed blockSize ${config.blockSize}: start a new cache (createKVCache) with the last tokens`
        : `sequence length ${T} exceeds blockSize ${config.blockSize}: crop ids to the last ${config.blockSize} tokens`,
    );
  }
  if (cache && cache.layers.length !== config.nLayer)
    throw new Error(
      `KV cache has ${cache.layers.length} layers but the model ${config.nLayer}: create it with createKVCache(config)`,
    );
  const rng = opts.training && config.dropout ? new Rng(requireSeed(opts.seed)) : undefined;
  const logits = tf.tidy(() => {
    let x: tf.Tensor = gptEmbed(params, config, ids, offset); // (B, T, C)
    x = maybeDropout(x, config.dropout, opts.training, rng);
    for (let i = 0; i < config.nLayer; i++) {
      x = gptBlock(params, config, i, x, {
        offset,
        training: opts.training,
        rng,
        cache: cache?.layers[i],
        weightsOut: opts.attentionWeights,
      });
    }
    return gptHead(params, config, x); // (B, T, V)
  });
  if (cache) cache.length += T;
  return logits;
}

/** Token embeddings plus positions: ids (B, T) int32 → residual stream (B, T, C); positions start at `offset`. */
export function gptEmbed(params: Params, config: GPTConfig, ids: tf.Tensor, offset = 0): tf.Tensor3D {
  return tf.tidy(() => {
    const T = ids.shape[1]!;
    const positional = config.positional ?? 'learned';
    let x: tf.Tensor = tokenEmbedding(param(params, 'transformer.wte.weight'), ids); // (B, T, C)
    if (positional === 'learned') x = x.add(learnedPositions(param(params, 'transformer.wpe.weight'), T, offset)); // + (T, C)
    if (positional === 'sinusoidal') x = x.add(sinusoidalEncoding(T, config.nEmbd, offset));
    return x as tf.Tensor3D;
  });
}

/** Per-call options of one GPT block (cache, dropout, attention weights out). */
export type GPTBlockOptions = Pick<GPTForwardOptions, 'training'> & {
  offset?: number;
  rng?: Rng;
  cache?: KVCache['layers'][number];
  weightsOut?: tf.Tensor[];
};

/** Block `i` of the GPT: residual stream (B, T, C) → (B, T, C), causal, with RoPE when the config says so. */
export function gptBlock(
  params: Params,
  config: GPTConfig,
  i: number,
  x: tf.Tensor,
  o: GPTBlockOptions = {},
): tf.Tensor3D {
  return transformerBlock(params, `transformer.h.${i}`, x, config, {
    causal: true,
    rope: (config.positional ?? 'learned') === 'rope',
    offset: o.offset ?? 0,
    dropout: config.dropout,
    training: o.training,
    rng: o.rng,
    cache: o.cache,
    weightsOut: o.weightsOut,
  }); // (B, T, C)
}

/** Final norm (pre-LN stacks) and the tied output head: residual stream (B, T, C) → logits (B, T, V). */
export function gptHead(params: Params, config: GPTConfig, x: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    let h = x;
    if ((config.norm ?? 'pre') === 'pre') h = blockNorm(params, 'transformer.ln_f', h, config);
    const wte = param(params, 'transformer.wte.weight'); // (V, C)
    return tf
      .matMul(h.reshape([B * T!, config.nEmbd]), wte, false, true)
      .reshape([B, T!, config.vocabSize]) as tf.Tensor3D; // (B, T, V)
  });
}

function requireSeed(seed: number | undefined): number {
  if (seed === undefined)
    throw new Error(
      'gptForward with training: true and dropout > 0 needs opts.seed: pass a fresh rng.seed() each step',
    );
  return seed;
}
