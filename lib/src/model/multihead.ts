/**
 * Multi-head attention layers: project to queries, keys and values, split into H heads of width D = C/H,
 * attend in each head independently, merge, and project back to C.
 * Self-attention takes Q, K, V from the same sequence; cross-attention takes Q from the decoder and K, V
 * from the encoder's output (the "memory").
 * Where the accelerator registers faster `ops` (wasm, cpu), adding the projection's bias and splitting into heads,
 * scale + causal mask + softmax, merging heads, and a whole cached decoding step are one kernel each; elsewhere
 * (and with HOW_LLMS_FUSED=0) the same steps run as the TF.js ops they replace.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { Params } from './params';
import { linear } from './linear';
import { maybeParam, param } from './init';
import { applyRope } from './rope';
import { mergeHeads, scaledDotProductAttention, splitHeads } from './attention';
import { appendKV, kvBuffers, replaceKV, type LayerKV } from './kv-cache';
import { ops } from '../ops';

/** How an attention layer runs. */
export interface MultiHeadOptions {
  nHead: number;
  /** Each query sees only keys at its own position or earlier (decoders). */
  causal?: boolean;
  /** Rotate queries and keys by their positions (RoPE). */
  rope?: boolean;
  /** Absolute position of the first query (cached generation); default: the cache's length, else 0. */
  offset?: number;
  /** Additive key mask broadcastable to (B, 1, Tq, Tk), e.g. paddingMask(keep). */
  keyMask?: tf.Tensor;
  /** Dropout on attention weights and on the output (applies only when training). */
  dropout?: number;
  training?: boolean;
  /** Seeds for dropout; required when training with dropout > 0. */
  rng?: Rng;
  /** Past keys/values of this layer: used, then extended with this call's. */
  cache?: LayerKV;
  /** When given, this layer's attention weights (B, H, Tq, Tk) are pushed here (the caller disposes them). */
  weightsOut?: tf.Tensor[];
}

/** Dropout for training, seeded from `rng`; identity otherwise. x any shape → same shape. */
export function maybeDropout(
  x: tf.Tensor,
  rate: number | undefined,
  training: boolean | undefined,
  rng: Rng | undefined,
): tf.Tensor {
  if (!training || !rate) return x;
  if (rate < 0 || rate >= 1) throw new Error(`dropout must be in [0, 1), got ${rate}`);
  if (!rng)
    throw new Error('dropout while training needs seeded randomness: pass opts.seed (e.g. rng.seed() each step)');
  return tf.dropout(x, rate, undefined, rng.seed());
}

/** A projection `name` ((out, in) weight, optional bias) of rows x (N, in) → (N, out); `withBias: false` leaves the bias to the caller. */
function project(params: Params, name: string, x: tf.Tensor, withBias = true): tf.Tensor {
  return linear(x, param(params, `${name}.weight`), withBias ? maybeParam(params, `${name}.bias`) : undefined);
}

/**
 * x (B·T, P·C) plus bias (P·C) → P parts, each (B, H, T, C/H): one kernel where the backend has it (the bias added
 * in the same pass), else add + split + reshape + transpose per part.
 */
function splitParts(x: tf.Tensor, bias: tf.Tensor | undefined, parts: 1 | 2 | 3, H: number, T: number): tf.Tensor[] {
  const fused = ops.splitHeads(x, parts, H, T, bias);
  if (fused) return fused;
  const [rows, width] = x.shape as number[];
  const biased = bias ? x.add(bias) : x;
  return (parts === 1 ? [biased] : tf.split(biased, parts, -1)).map((t) =>
    splitHeads(t.reshape([rows / T, T, width / parts]), H),
  );
}

/** Heads y (B, H, T, D) → rows (B·T, H·D). */
function mergeRows(y: tf.Tensor): tf.Tensor {
  const [B, H, T, D] = y.shape as number[];
  return ops.mergeHeads([y], 2) ?? mergeHeads(y).reshape([B * T, H * D]);
}

function attend(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor | undefined, o: MultiHeadOptions): tf.Tensor {
  const training = Boolean(o.training && o.dropout);
  if (training && !o.rng)
    throw new Error('dropout while training needs seeded randomness: pass opts.seed (e.g. rng.seed() each step)');
  const Tq = q.shape[2] as number;
  const Tk = k.shape[2] as number;
  const { output, weights } = scaledDotProductAttention(q, k, v, {
    mask,
    // Queries are the last Tq positions of the keys (cached keys first).
    causal: o.causal,
    offset: Tk - Tq,
    dropout: training ? o.dropout : 0,
    seed: training ? o.rng?.seed() : undefined,
  });
  if (o.weightsOut) o.weightsOut.push(tf.keep(weights));
  return output; // (B, H, Tq, D)
}

/**
 * One decoding step (one new position per sequence) over the cache's buffers, as one kernel: write the new key and
 * value (into new buffers), rotate (RoPE), attend to every cached position, merge heads. qkv (B, 3C) before its
 * bias (3C) → (B, C), or undefined where that kernel does not run (then the general path in selfAttention takes it).
 */
function cachedStep(
  qkv: tf.Tensor,
  bias: tf.Tensor | undefined,
  cache: LayerKV,
  offset: number,
  o: MultiHeadOptions,
): tf.Tensor | undefined {
  if (o.keyMask || (o.training && o.dropout)) return undefined;
  const [B, width] = qkv.shape as number[];
  const H = o.nHead;
  const D = width / 3 / H;
  const buffers = kvBuffers(cache, B, H, D);
  if (!buffers) return undefined;
  const out = ops.cachedAttention(qkv, buffers[0], buffers[1], {
    nHead: H,
    position: cache.length,
    ropePosition: o.rope ? offset : undefined,
    weights: Boolean(o.weightsOut),
    bias,
  });
  if (!out) return undefined;
  replaceKV(cache, out.keys, out.values);
  cache.length += 1;
  if (o.weightsOut && out.weights) o.weightsOut.push(tf.keep(out.weights));
  return out.output; // (B, C)
}

/** Self-attention `prefix.c_attn` (3C, C), `prefix.c_proj` (C, C) on x (B, T, C) → (B, T, C). */
export function selfAttention(params: Params, prefix: string, x: tf.Tensor, o: MultiHeadOptions): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape as number[];
    if (C % o.nHead !== 0)
      throw new Error(`width ${C} is not divisible by ${o.nHead} heads: choose nEmbd a multiple of nHead`);
    // x Wᵀ now; the bias is added by the kernel that splits the heads (or by the cached step).
    const qkv = project(params, `${prefix}.c_attn`, x.reshape([B * T, C]), false); // (B·T, 3C)
    const bias = maybeParam(params, `${prefix}.c_attn.bias`); // (3C)
    const offset = o.offset ?? o.cache?.length ?? 0;
    // Cached generation, one token at a time: one kernel from qkv to the merged heads.
    let y = o.cache && T === 1 ? cachedStep(qkv, bias, o.cache, offset, o) : undefined; // (B·T, C)
    if (!y) {
      let [q, k, v] = splitParts(qkv, bias, 3, o.nHead, T); // each (B, H, T, D)
      if (o.rope) {
        q = applyRope(q, offset);
        k = applyRope(k, offset);
      }
      if (o.cache) [k, v] = appendKV(o.cache, k, v); // (B, H, Tpast + T, D)
      y = mergeRows(attend(q, k, v, o.keyMask, o));
    }
    const out = project(params, `${prefix}.c_proj`, y).reshape([B, T, C]);
    return maybeDropout(out, o.dropout, o.training, o.rng) as tf.Tensor3D; // (B, T, C)
  });
}

/** Cross-attention: queries from x (B, T, C) via `prefix.c_q` (C, C); keys, values from memory (B, S, C) via `prefix.c_kv` (2C, C) → (B, T, C). */
export function crossAttention(
  params: Params,
  prefix: string,
  x: tf.Tensor,
  memory: tf.Tensor,
  o: MultiHeadOptions,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape as number[];
    const [, S, Cm] = memory.shape as number[];
    if (C % o.nHead !== 0)
      throw new Error(`width ${C} is not divisible by ${o.nHead} heads: choose nEmbd a multiple of nHead`);
    const [q] = splitParts(
      project(params, `${prefix}.c_q`, x.reshape([B * T, C]), false),
      maybeParam(params, `${prefix}.c_q.bias`),
      1,
      o.nHead,
      T,
    ); // (B, H, T, D)
    const [k, v] = splitParts(
      project(params, `${prefix}.c_kv`, memory.reshape([B * S, Cm]), false),
      maybeParam(params, `${prefix}.c_kv.bias`),
      2,
      o.nHead,
      S,
    ); // each (B, H, S, D)
    const y = mergeRows(attend(q, k, v, o.keyMask, { ...o, causal: false })); // (B·T, C)
    const out = project(params, `${prefix}.c_proj`, y).reshape([B, T, C]);
    return maybeDropout(out, o.dropout, o.training, o.rng) as tf.Tensor3D; // (B, T, C)
  });
}
