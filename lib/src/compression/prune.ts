/**
 * Magnitude pruning: set the smallest weights to zero and hope the model does not notice (Han et al.
 * 2015, "Learning both Weights and Connections for Efficient Neural Networks"). Unstructured pruning
 * removes single weights anywhere, which saves memory only with a sparse format; structured pruning
 * removes whole MLP neurons or attention heads, which makes the matrices smaller and so faster too.
 * A mask is a 0/1 tensor shaped like its parameter; pruning multiplies by it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPTConfig } from '../model/gpt';
import type { NamedTensors, Params } from '../model/params';

function checkSparsity(sparsity: number): void {
  if (!(sparsity >= 0 && sparsity <= 1)) throw new Error(`sparsity must be in [0, 1], got ${sparsity}`);
}

/** Indices of the `k` smallest |values| (ties broken by position, so the count is exact). */
function smallestIndices(values: ArrayLike<number>, k: number): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => Math.abs(values[a]) - Math.abs(values[b]) || a - b);
  return order.subarray(0, k);
}

/** 0/1 mask shaped like w (any shape) that zeroes exactly round(sparsity · size) of its smallest-magnitude entries. */
export function magnitudeMask(w: tf.Tensor, sparsity: number): tf.Tensor {
  checkSparsity(sparsity);
  const values = w.dataSync();
  const mask = new Float32Array(values.length).fill(1);
  for (const i of smallestIndices(values, Math.round(sparsity * values.length))) mask[i] = 0;
  return tf.tensor(mask, w.shape, 'float32');
}

/** The parameters pruning acts on by default: weight matrices (rank ≥ 2) except the token and position tables. */
export function prunableByDefault(name: string, p: tf.Tensor): boolean {
  return p.rank >= 2 && !/(wte|wpe)\.weight$/.test(name);
}

/**
 * Masks for every selected parameter with one threshold across all of them (global magnitude pruning):
 * layers whose weights are small overall lose more. `sparsity` is the fraction of selected weights zeroed.
 */
export function globalMagnitudeMasks(
  params: Params | NamedTensors,
  sparsity: number,
  select: (name: string, p: tf.Tensor) => boolean = prunableByDefault,
): NamedTensors {
  checkSparsity(sparsity);
  const names = Object.keys(params).filter((n) => select(n, params[n]));
  if (names.length === 0)
    throw new Error('no parameter selected for pruning: check the select function against the parameter names');
  const parts = names.map((n) => params[n].dataSync());
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  const keep = new Float32Array(all.length).fill(1);
  for (const i of smallestIndices(all, Math.round(sparsity * all.length))) keep[i] = 0;
  const masks: NamedTensors = {};
  offset = 0;
  names.forEach((n, k) => {
    masks[n] = tf.tensor(keep.subarray(offset, offset + parts[k].length), params[n].shape, 'float32');
    offset += parts[k].length;
  });
  return masks;
}

/**
 * Structured masks that remove the `fraction` of MLP neurons with the smallest weight norm in each block:
 * a neuron is a row of `mlp.c_fc.weight` (4C, C), its bias entry, and a column of `mlp.c_proj.weight` (C, 4C).
 */
export function mlpNeuronMasks(params: Params | NamedTensors, config: GPTConfig, fraction: number): NamedTensors {
  checkSparsity(fraction);
  const masks: NamedTensors = {};
  const hidden = 4 * config.nEmbd;
  for (let i = 0; i < config.nLayer; i++) {
    const prefix = `transformer.h.${i}.mlp`;
    const fc = params[`${prefix}.c_fc.weight`];
    const proj = params[`${prefix}.c_proj.weight`];
    if (!fc || !proj) throw new Error(`no MLP weights under ${prefix}: mlpNeuronMasks needs a GPT's parameters`);
    // A neuron matters through what it reads and what it writes: score by the product of both norms.
    const score = tf.tidy(() => fc.square().sum(1).sqrt().mul(proj.square().sum(0).sqrt())); // (4C)
    const drop = smallestIndices(score.dataSync(), Math.round(fraction * hidden));
    score.dispose();
    const keep = new Float32Array(hidden).fill(1);
    for (const j of drop) keep[j] = 0;
    masks[`${prefix}.c_fc.weight`] = tf.tidy(() => tf.tensor2d(keep, [hidden, 1]).tile([1, config.nEmbd])); // (4C, C)
    masks[`${prefix}.c_proj.weight`] = tf.tidy(() => tf.tensor2d(keep, [1, hidden]).tile([config.nEmbd, 1])); // (C, 4C)
    if (params[`${prefix}.c_fc.bias`]) masks[`${prefix}.c_fc.bias`] = tf.tensor1d(keep); // (4C)
  }
  return masks;
}

/**
 * Structured masks that remove the `fraction` of attention heads with the smallest output-projection norm
 * in each block: head h owns rows h·D…(h+1)·D of each of q, k, v in `attn.c_attn.weight` (3C, C) and the
 * same columns of `attn.c_proj.weight` (C, C).
 */
export function attentionHeadMasks(params: Params | NamedTensors, config: GPTConfig, fraction: number): NamedTensors {
  checkSparsity(fraction);
  const { nEmbd: C, nHead: H } = config;
  const D = C / H;
  const masks: NamedTensors = {};
  for (let i = 0; i < config.nLayer; i++) {
    const prefix = `transformer.h.${i}.attn`;
    const proj = params[`${prefix}.c_proj.weight`];
    if (!proj || !params[`${prefix}.c_attn.weight`])
      throw new Error(`no attention weights under ${prefix}: attentionHeadMasks needs a GPT's parameters`);
    const score = tf.tidy(() => proj.square().sum(0).reshape([H, D]).sum(1)); // (H) squared norm of each head's columns
    const drop = smallestIndices(score.dataSync(), Math.round(fraction * H));
    score.dispose();
    const keep = new Float32Array(C).fill(1); // per channel of the concatenated heads
    for (const h of drop) keep.fill(0, h * D, (h + 1) * D);
    const qkv = new Float32Array(3 * C);
    for (let s = 0; s < 3; s++) qkv.set(keep, s * C);
    masks[`${prefix}.c_attn.weight`] = tf.tidy(() => tf.tensor2d(qkv, [3 * C, 1]).tile([1, C])); // (3C, C)
    if (params[`${prefix}.c_attn.bias`]) masks[`${prefix}.c_attn.bias`] = tf.tensor1d(qkv); // (3C)
    masks[`${prefix}.c_proj.weight`] = tf.tidy(() => tf.tensor2d(keep, [1, C]).tile([C, 1])); // (C, C)
  }
  return masks;
}

/** Multiply each masked parameter by its mask, in place (variables) — parameters without a mask are untouched. */
export function applyMasks(params: Params, masks: NamedTensors): void {
  for (const [name, mask] of Object.entries(masks)) {
    const p = params[name];
    if (!p) throw new Error(`mask for "${name}" has no parameter of that name`);
    if (p.shape.join(',') !== mask.shape.join(','))
      throw new Error(`mask for "${name}" has shape [${mask.shape}] but the parameter has [${p.shape}]`);
    tf.tidy(() => p.assign(p.mul(mask)));
  }
}

/** Fraction of entries that are exactly zero among the selected parameters. */
export function measuredSparsity(
  params: Params | NamedTensors,
  select: (name: string, p: tf.Tensor) => boolean = prunableByDefault,
): number {
  let zeros = 0;
  let total = 0;
  for (const [name, p] of Object.entries(params)) {
    if (!select(name, p)) continue;
    const v = p.dataSync();
    for (let i = 0; i < v.length; i++) if (v[i] === 0) zeros++;
    total += v.length;
  }
  return total ? zeros / total : 0;
}
