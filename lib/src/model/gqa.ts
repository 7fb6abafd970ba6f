/**
 * Grouped-query attention (Ainslie et al. 2023, "GQA"), and multi-query attention (Shazeer 2019) as its extreme:
 * H query heads share Hkv ≤ H key/value heads, each K/V head serving a group of G = H / Hkv query heads.
 *   Hkv = H: ordinary multi-head attention;  Hkv = 1: multi-query attention;  in between: grouped (Llama 2 70B: 64 / 8).
 * The quality stays close to multi-head attention while the KV cache, which holds only the Hkv heads, shrinks
 * by G: at long contexts that cache, not the weights, is what fills an accelerator's memory.
 *
 * Parameters: `<prefix>.c_attn` ((H + 2·Hkv)·D, C): rows [queries (C) | keys (Hkv·D) | values (Hkv·D)], which is
 * exactly multi-head attention's (3C, C) when Hkv = H; `<prefix>.c_proj` (C, C).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';
import { linear } from './linear';
import { maybeParam, param } from './init';
import { applyRope } from './rope';
import { mergeHeads, scaledDotProductAttention, splitHeads } from './attention';
import { appendKV } from './kv-cache';
import { maybeDropout, type MultiHeadOptions } from './multihead';

/** Options of grouped-query attention: multi-head attention's, plus the number of key/value heads. */
export interface GroupedQueryOptions extends MultiHeadOptions {
  /** Key/value heads Hkv, a divisor of nHead: nHead is multi-head attention, 1 is multi-query attention. */
  kvHeads: number;
}

/** Check that kvHeads divides nHead, naming the fix. */
export function checkKVHeads(nHead: number, kvHeads: number): void {
  if (!Number.isInteger(kvHeads) || kvHeads < 1 || kvHeads > nHead || nHead % kvHeads !== 0) {
    throw new Error(`kvHeads must be a divisor of nHead (${nHead}) between 1 and ${nHead}, got ${kvHeads}`);
  }
}

/** Share each of Hkv key/value heads x (B, Hkv, T, D) with `groups` query heads → (B, Hkv·groups, T, D); head h reads K/V head ⌊h / groups⌋. */
export function repeatKVHeads(x: tf.Tensor, groups: number): tf.Tensor4D {
  if (groups === 1) return x as tf.Tensor4D;
  return tf.tidy(() => {
    const [B, Hkv, T, D] = x.shape as number[];
    // (B, Hkv, 1, T·D) → G copies along the new axis → (B, Hkv·G, T, D): the copies of head j sit next to each other.
    return x
      .reshape([B, Hkv, 1, T * D])
      .tile([1, 1, groups, 1])
      .reshape([B, Hkv * groups, T, D]) as tf.Tensor4D;
  });
}

/** Grouped-query self-attention under `prefix` (names in the file comment) on x (B, T, C) → (B, T, C); a cache keeps Hkv heads. */
export function groupedQueryAttention(
  params: Params,
  prefix: string,
  x: tf.Tensor,
  o: GroupedQueryOptions,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [, T, C] = x.shape as number[];
    const H = o.nHead;
    if (C % H !== 0) throw new Error(`width ${C} is not divisible by ${H} heads: choose nEmbd a multiple of nHead`);
    checkKVHeads(H, o.kvHeads);
    const D = C / H;
    const kvWidth = o.kvHeads * D;
    const qkv = linear(x, param(params, `${prefix}.c_attn.weight`), maybeParam(params, `${prefix}.c_attn.bias`)); // (B, T, C + 2·Hkv·D)
    const [qRows, kRows, vRows] = tf.split(qkv, [C, kvWidth, kvWidth], -1);
    let q: tf.Tensor = splitHeads(qRows, H); // (B, H, T, D)
    let k: tf.Tensor = splitHeads(kRows, o.kvHeads); // (B, Hkv, T, D)
    let v: tf.Tensor = splitHeads(vRows, o.kvHeads); // (B, Hkv, T, D)
    const offset = o.offset ?? o.cache?.length ?? 0;
    if (o.rope) {
      q = applyRope(q, offset);
      k = applyRope(k, offset);
    }
    // The cache stores the Hkv shared heads, G times smaller than multi-head attention's; the copies are made per step.
    if (o.cache) [k, v] = appendKV(o.cache, k, v); // (B, Hkv, Tpast + T, D)
    const groups = H / o.kvHeads;
    const training = Boolean(o.training && o.dropout);
    if (training && !o.rng)
      throw new Error('dropout while training needs seeded randomness: pass opts.seed (e.g. rng.seed() each step)');
    const { output, weights } = scaledDotProductAttention(q, repeatKVHeads(k, groups), repeatKVHeads(v, groups), {
      mask: o.keyMask,
      causal: o.causal,
      offset: k.shape[2]! - T, // queries are the last T positions of the keys (cached keys first)
      dropout: training ? o.dropout : 0,
      seed: training ? o.rng!.seed() : undefined,
    }); // (B, H, T, D)
    if (o.weightsOut) o.weightsOut.push(tf.keep(weights));
    const out = linear(
      mergeHeads(output),
      param(params, `${prefix}.c_proj.weight`),
      maybeParam(params, `${prefix}.c_proj.bias`),
    ); // (B, T, C)
    return maybeDropout(out, o.dropout, o.training, o.rng) as tf.Tensor3D;
  });
}

/** The shape that decides a KV cache's size. kvHeads defaults to nHead (multi-head attention). */
export interface KVCacheShape {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  kvHeads?: number;
}

/** Bytes a KV cache holds per token of one sequence: 2 (keys and values) · layers · kvHeads · head width · bytesPerValue. */
export function kvCacheBytesPerToken(shape: KVCacheShape, bytesPerValue = 4): number {
  const kvHeads = shape.kvHeads ?? shape.nHead;
  checkKVHeads(shape.nHead, kvHeads);
  return 2 * shape.nLayer * kvHeads * (shape.nEmbd / shape.nHead) * bytesPerValue;
}

/** Bytes of a full KV cache: per token · tokens (context) · batch (sequences decoded together). */
export function kvCacheBytes(shape: KVCacheShape, tokens: number, batch = 1, bytesPerValue = 4): number {
  return kvCacheBytesPerToken(shape, bytesPerValue) * tokens * batch;
}
