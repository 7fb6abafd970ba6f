/**
 * Stacks of blocks, and the encoder–decoder of the 2017 paper built from them.
 *   encoder: every position sees every other (no causal mask), padding masked out → "memory" (B, S, C)
 *   decoder: causal self-attention, plus cross-attention into the encoder's memory → logits (B, T, V)
 * A decoder-only model (GPT) is the decoder without cross-attention: see gpt.ts.
 *
 * Names: encoder.wte.weight (Vs, C), encoder.h.{i}.…, encoder.ln_f.… and decoder.wte.weight (Vt, C),
 * decoder.h.{i}.… (with ln_cross and cross_attn.c_q (C, C), c_kv (2C, C), c_proj (C, C)), decoder.ln_f.…;
 * the decoder's output head is tied to decoder.wte. Positions are sinusoidal and token embeddings are scaled by √C before
 * they are added, as in the paper.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { Params } from './params';
import { addLayerNorm, addNormal, maybeParam, param } from './init';
import { tokenEmbedding } from './embedding';
import { sinusoidalEncoding } from './sinusoidal';
import { layerNorm } from './layernorm';
import { initBlock, transformerBlock, type BlockConfig, type BlockOptions } from './block';
import { paddingMask } from './attention';

/** Run nLayer blocks `prefix.0` … on x (B, T, C) → (B, T, C); causal for a decoder, not for an encoder. */
export function transformerStack(
  params: Params,
  prefix: string,
  x: tf.Tensor,
  nLayer: number,
  config: BlockConfig,
  o: BlockOptions = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    let h = x;
    for (let i = 0; i < nLayer; i++) h = transformerBlock(params, `${prefix}.${i}`, h, config, o); // (B, T, C)
    return h as tf.Tensor3D;
  });
}

/** An encoder–decoder's shape. Defaults: pre-LN, biases on. */
export interface EncoderDecoderConfig {
  srcVocabSize: number;
  tgtVocabSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  norm?: 'pre' | 'post';
  bias?: boolean;
}

/** Parameters of a new encoder–decoder (names in the file comment), GPT-2 style initialisation, seeded. */
export function initEncoderDecoder(config: EncoderDecoderConfig, seed = 1337): Params {
  if (config.nEmbd % config.nHead !== 0)
    throw new Error(`nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
  const rng = new Rng(seed);
  const params: Params = {};
  const bias = config.bias ?? true;
  for (const side of ['encoder', 'decoder'] as const) {
    const V = side === 'encoder' ? config.srcVocabSize : config.tgtVocabSize;
    addNormal(params, `${side}.wte.weight`, [V, config.nEmbd], 0.02, rng);
    for (let i = 0; i < config.nLayer; i++)
      initBlock(params, `${side}.h.${i}`, { ...config, cross: side === 'decoder' }, config.nLayer, rng);
    if ((config.norm ?? 'pre') === 'pre') addLayerNorm(params, `${side}.ln_f`, config.nEmbd, bias);
  }
  return params;
}

function embed(params: Params, side: string, ids: tf.Tensor, C: number, blockSize: number): tf.Tensor {
  const T = ids.shape[1] as number;
  if (T > blockSize)
    throw new Error(`${side} sequence length ${T} exceeds blockSize ${blockSize}: crop or split the input`);
  // × √C as in the paper (§3.4): the rows start at std 0.02 while the sinusoids have amplitude 1, and unscaled tokens
  // would be drowned by their positions (the toy translation of chapter 15 trains many times slower without it).
  return tokenEmbedding(param(params, `${side}.wte.weight`), ids)
    .mul(Math.sqrt(C))
    .add(sinusoidalEncoding(T, C)); // (B, T, C)
}

function finalNorm(params: Params, side: string, x: tf.Tensor, config: EncoderDecoderConfig): tf.Tensor {
  if ((config.norm ?? 'pre') === 'post') return x;
  return layerNorm(x, param(params, `${side}.ln_f.weight`), maybeParam(params, `${side}.ln_f.bias`));
}

/** Encode source ids (B, S) int32, with srcKeep (B, S) 1 for tokens and 0 for padding → memory (B, S, C). */
export function encodeSource(
  params: Params,
  config: EncoderDecoderConfig,
  srcIds: tf.Tensor2D,
  srcKeep?: tf.Tensor2D,
  attentionWeights?: tf.Tensor[],
): tf.Tensor3D {
  return tf.tidy(() => {
    const x = embed(params, 'encoder', srcIds, config.nEmbd, config.blockSize); // (B, S, C)
    const selfMask = srcKeep ? paddingMask(srcKeep) : undefined; // (B, 1, 1, S)
    const h = transformerStack(params, 'encoder.h', x, config.nLayer, config, {
      causal: false,
      selfMask,
      weightsOut: attentionWeights,
    });
    return finalNorm(params, 'encoder', h, config) as tf.Tensor3D; // (B, S, C)
  });
}

/** Decode target ids (B, T) against memory (B, S, C) → logits (B, T, Vt); srcKeep (B, S) masks source padding. */
export function decodeTarget(
  params: Params,
  config: EncoderDecoderConfig,
  tgtIds: tf.Tensor2D,
  memory: tf.Tensor3D,
  opts: { srcKeep?: tf.Tensor2D; attentionWeights?: tf.Tensor[]; crossWeights?: tf.Tensor[] } = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = tgtIds.shape;
    const x = embed(params, 'decoder', tgtIds, config.nEmbd, config.blockSize); // (B, T, C)
    const memoryMask = opts.srcKeep ? paddingMask(opts.srcKeep) : undefined; // (B, 1, 1, S)
    const h = transformerStack(params, 'decoder.h', x, config.nLayer, config, {
      causal: true,
      memory,
      memoryMask,
      weightsOut: opts.attentionWeights,
      crossWeightsOut: opts.crossWeights,
    });
    const out = finalNorm(params, 'decoder', h, config).reshape([B * T, config.nEmbd]); // (B·T, C)
    return tf
      .matMul(out, param(params, 'decoder.wte.weight'), false, true)
      .reshape([B, T, config.tgtVocabSize]) as tf.Tensor3D; // (B, T, Vt)
  });
}

/** Encode then decode: source (B, S), target (B, T) → logits (B, T, Vt). */
export function encoderDecoderForward(
  params: Params,
  config: EncoderDecoderConfig,
  srcIds: tf.Tensor2D,
  tgtIds: tf.Tensor2D,
  srcKeep?: tf.Tensor2D,
): tf.Tensor3D {
  return tf.tidy(() =>
    decodeTarget(params, config, tgtIds, encodeSource(params, config, srcIds, srcKeep), { srcKeep }),
  );
}

/** The number of parameters initEncoderDecoder makes, by formula (a decoder layer adds cross-attention: 4C² + 4C and one norm). */
export function encoderDecoderParameterCount(config: EncoderDecoderConfig): number {
  const { nLayer: L, nEmbd: C } = config;
  const bias = config.bias ?? true;
  const norm = bias ? 2 * C : C;
  const selfLayer = 12 * C * C + (bias ? 9 * C : 0) + 2 * norm;
  const crossExtra = 4 * C * C + (bias ? 4 * C : 0) + norm;
  const finalNorms = (config.norm ?? 'pre') === 'pre' ? 2 * norm : 0;
  return (config.srcVocabSize + config.tgtVocabSize) * C + L * (2 * selfLayer + crossExtra) + finalNorms;
}
