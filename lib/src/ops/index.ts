/**
 * The operations the model, training and sampling code hand to a faster implementation when one is registered.
 *
 * Each entry names one step the chapters teach as a composition of TF.js ops (GELU, layer norm, the causal softmax,
 * splitting heads, cross-entropy, an AdamW update, ...). The library calls it as `ops.gelu(x) ?? geluReference(x)`:
 * the default entry declines (returns undefined) and the reference formula beside the call runs. An accelerator
 * (the workspace package `@how-llms-work/accel`, plugged in by `ready()`) registers faster versions of some
 * entries; each may still decline for inputs it does not take (another backend, float16, a switch turned off),
 * and then the reference runs. Tests hold every registered entry to its reference, values and gradients.
 * Nothing here knows which backend runs: that is the accelerator's business.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Options of the cached attention step. */
export interface CachedAttentionOptions {
  nHead: number;
  /** Positions already cached: the new key and value are written here. */
  position: number;
  /** Rotate the new query and key by RoPE at this absolute position (usually `position`). */
  ropePosition?: number;
  /** Also return the attention weights (B, H, 1, position + 1). */
  weights?: boolean;
  /** The projection's bias (3C), added to qkv first. */
  bias?: tf.Tensor;
}

/** Hyper-parameters of one AdamW update, bias corrections included. */
export interface AdamWUpdate {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ. */
  bc1: number;
  bc2: number;
}

/** The faster implementations an accelerator may register; every entry returns undefined to decline. */
export interface Ops {
  /** x (N, in) · weight (out, in)ᵀ + bias (out) → (N, out), without copying the transposed weight. */
  linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor | undefined;
  /** GELU (tanh form) of x, any shape. */
  gelu(x: tf.Tensor): tf.Tensor | undefined;
  /** Layer norm of x (…, C) over its last axis with γ (C), β (C). */
  layerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | undefined, eps: number): tf.Tensor | undefined;
  /** softmax(scores · scale + causal mask) of scores (B, H, Tq, Tk); the first query sits at key `offset`. */
  causalSoftmax(scores: tf.Tensor, scale: number, causal: boolean, offset: number): tf.Tensor | undefined;
  /** x (B·T, P·C) plus bias (P·C) → P parts, each (B, H, T, C/H). */
  splitHeads(x: tf.Tensor, parts: 1 | 2 | 3, nHead: number, seqLen: number, bias?: tf.Tensor): tf.Tensor[] | undefined;
  /** Heads (B, H, T, D) → (B·T, H·D) for outRank 2, (B, T, H·D) for 3. */
  mergeHeads(parts: tf.Tensor[], outRank: 2 | 3): tf.Tensor | undefined;
  /**
   * One decoding step: qkv (B, 3C) and the cache's keys and values (B, H, capacity, D) → the output (B, C), the
   * weights (B, H, 1, position + 1) when asked, and the keys and values with this step's written at `position`, as
   * new tensors (the given ones are left as they are).
   */
  cachedAttention(
    qkv: tf.Tensor,
    keys: tf.Tensor,
    values: tf.Tensor,
    options: CachedAttentionOptions,
  ): { output: tf.Tensor; weights?: tf.Tensor; keys: tf.Tensor; values: tf.Tensor } | undefined;
  /**
   * Keys and values (B, H, capacity, D) with k, v (B, H, T, D) written at `position`, as new tensors (the given ones
   * are left as they are), then the keys and values now held, each (B, H, position + T, D).
   */
  writeKV(
    keys: tf.Tensor,
    values: tf.Tensor,
    k: tf.Tensor,
    v: tf.Tensor,
    position: number,
  ): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] | undefined;
  /** Mean cross-entropy of logits (N, V) against int32 targets (N), all of them valid ids. */
  crossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar | undefined;
  /** The new [param, m, v] of one AdamW step; scale () multiplies the gradient first. */
  adamW(
    param: tf.Tensor,
    m: tf.Tensor,
    v: tf.Tensor,
    grad: tf.Tensor,
    scale: tf.Scalar,
    h: AdamWUpdate,
  ): [tf.Tensor, tf.Tensor, tf.Tensor] | undefined;
  /** The global L2 norm of tensors and the clip factor min(1, maxNorm / norm). */
  globalNorm(tensors: tf.Tensor[], maxNorm: number): { norm: tf.Scalar; factor: tf.Scalar } | undefined;
}

/** The names of the entries, in the order above. */
export const OP_NAMES = [
  'linear',
  'gelu',
  'layerNorm',
  'causalSoftmax',
  'splitHeads',
  'mergeHeads',
  'cachedAttention',
  'writeKV',
  'crossEntropy',
  'adamW',
  'globalNorm',
] as const satisfies readonly (keyof Ops)[];

const decline = (): undefined => undefined;

/** Every entry declining: the reference formulas run. */
function referenceOnly(): Ops {
  return Object.fromEntries(OP_NAMES.map((name) => [name, decline])) as unknown as Ops;
}

const registered = new Set<keyof Ops>();

/** The entries the library calls; each is the registered faster version, or declines. */
export const ops: Ops = referenceOnly();

/** Register faster versions of some entries (an accelerator does, once its backend is ready). */
export function registerOps(impls: Partial<Ops>): void {
  for (const name of OP_NAMES) {
    const impl = impls[name];
    if (impl === undefined) continue;
    (ops as unknown as Record<string, unknown>)[name] = impl;
    registered.add(name);
  }
}

/** Drop every registered version: the reference formulas run everywhere (tests compare the two this way). */
export function resetOps(): void {
  Object.assign(ops, referenceOnly());
  registered.clear();
}

/** The entries that have a faster version registered. */
export function registeredOps(): (keyof Ops)[] {
  return OP_NAMES.filter((name) => registered.has(name));
}

/** Run f with only the reference formulas (nothing registered), then put the registered versions back. */
export function withReferenceOps<T>(f: () => T): T {
  const saved = { ...ops };
  const savedNames = [...registered];
  resetOps();
  try {
    return f();
  } finally {
    Object.assign(ops, saved);
    for (const name of savedNames) registered.add(name);
  }
}
