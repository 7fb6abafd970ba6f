/**
 * Multi-head attention layers: project to queries, keys and values, split into H heads of width D = C/H,
 * attend in each head independently, merge, and project back to C.
 * Self-attention takes Q, K, V from the same sequence; cross-attention takes Q from the decoder and K, V
 * from the encoder's output (the "memory").
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { Params } from './params';
import { linear } from './linear';
import { maybeParam, param } from './init';
import { applyRope } from './rope';
import { causalMask, mergeHeads, scaledDotProductAttention, splitHeads } from './attention';
import type { LayerKV } from './kv-cache';

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
export function maybeDropout(x: tf.Tensor, rate: number | undefined, training: boolean | undefined, rng: Rng | undefined): tf.Tensor {
  if (!training || !rate) return x;
  if (rate < 0 || rate >= 1) throw new Error(`dropout must be in [0, 1), got ${rate}`);
  if (!rng) throw new Error('dropout while training needs seeded randomness: pass opts.seed (e.g. rng.seed() each step)');
  return tf.dropout(x, rate, undefined, rng.seed());
}

function attend(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor | undefined, o: MultiHeadOptions): tf.Tensor {
  const training = Boolean(o.training && o.dropout);
  if (training && !o.rng) throw new Error('dropout while training needs seeded randomness: pass opts.seed (e.g. rng.seed() each step)');
  const { output, weights } = scaledDotProductAttention(q, k, v, {
    mask,
    dropout: training ? o.dropout : 0,
    seed: training ? o.rng?.seed() : undefined,
  });
  if (o.weightsOut) o.weightsOut.push(tf.keep(weights));
  return output; // (B, H, Tq, D)
}

/** Self-attention `prefix.c_attn` (3C, C), `prefix.c_proj` (C, C) on x (B, T, C) → (B, T, C). */
export function selfAttention(params: Params, prefix: string, x: tf.Tensor, o: MultiHeadOptions): tf.Tensor3D {
  return tf.tidy(() => {
    const T = x.shape[1] as number;
    const qkv = linear(x, param(params, `${prefix}.c_attn.weight`), maybeParam(params, `${prefix}.c_attn.bias`)); // (B, T, 3C)
    let [q, k, v]: tf.Tensor[] = tf.split(qkv, 3, -1).map((t) => splitHeads(t, o.nHead)); // each (B, H, T, D)
    const past = o.cache?.k ? o.cache.k.shape[2] : 0;
    const offset = o.offset ?? past;
    if (o.rope) {
      q = applyRope(q, offset);
      k = applyRope(k, offset);
    }
    if (o.cache) {
      if (o.cache.k && o.cache.v) {
        k = tf.concat([o.cache.k, k], 2); // (B, H, Tpast + T, D)
        v = tf.concat([o.cache.v, v], 2);
      }
      o.cache.k?.dispose();
      o.cache.v?.dispose();
      o.cache.k = tf.keep(k as tf.Tensor4D);
      o.cache.v = tf.keep(v as tf.Tensor4D);
    }
    const Tk = k.shape[2] as number;
    // One new query (cached generation) may see every key: its causal mask is all zeros, so skip building it.
    let mask: tf.Tensor | undefined = o.causal && T > 1 ? causalMask(T, Tk, Tk - T) : undefined; // (T, Tk)
    if (o.keyMask) mask = mask ? mask.add(o.keyMask) : o.keyMask;
    const y = mergeHeads(attend(q, k, v, mask, o)); // (B, T, C)
    const out = linear(y, param(params, `${prefix}.c_proj.weight`), maybeParam(params, `${prefix}.c_proj.bias`));
    return maybeDropout(out, o.dropout, o.training, o.rng) as tf.Tensor3D; // (B, T, C)
  });
}

/** Cross-attention: queries from x (B, T, C) via `prefix.c_q` (C, C); keys, values from memory (B, S, C) via `prefix.c_kv` (2C, C) → (B, T, C). */
export function crossAttention(params: Params, prefix: string, x: tf.Tensor, memory: tf.Tensor, o: MultiHeadOptions): tf.Tensor3D {
  return tf.tidy(() => {
    const q = splitHeads(linear(x, param(params, `${prefix}.c_q.weight`), maybeParam(params, `${prefix}.c_q.bias`)), o.nHead); // (B, H, T, D)
    const kv = linear(memory, param(params, `${prefix}.c_kv.weight`), maybeParam(params, `${prefix}.c_kv.bias`)); // (B, S, 2C)
    const [k, v] = tf.split(kv, 2, -1).map((t) => splitHeads(t, o.nHead)); // each (B, H, S, D)
    const y = mergeHeads(attend(q, k, v, o.keyMask, o)); // (B, T, C)
    const out = linear(y, param(params, `${prefix}.c_proj.weight`), maybeParam(params, `${prefix}.c_proj.bias`));
    return maybeDropout(out, o.dropout, o.training, o.rng) as tf.Tensor3D; // (B, T, C)
  });
}
