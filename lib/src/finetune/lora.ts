/**
 * LoRA (Hu et al. 2021): freeze a weight W (out, in) and learn a low-rank change ΔW = s·B·A with A (r, in),
 * B (out, r), s = alpha / r. B starts at zero, so the adapted model starts exactly as the base model.
 *   y = x Wᵀ + b + s · (x Aᵀ) Bᵀ        (the side path)
 * After training, W' = W + s·B·A replaces W and the adapter disappears: the merged model costs nothing extra.
 * Adapters are named after the weight they adapt: `transformer.h.0.attn.c_attn.weight.lora_A` / `.lora_B`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { linear } from '../model/linear';
import { addConstant, addNormal, param } from '../model/init';
import type { Params } from '../model/params';
import { nameMatcher, type NameFilter } from '../training/gradients';

/** The matrices GPT-2 blocks multiply by: attention's qkv and output projections, the MLP's two layers. */
export const LORA_DEFAULT_TARGETS = [
  'transformer.h.*.attn.c_attn.weight',
  'transformer.h.*.attn.c_proj.weight',
  'transformer.h.*.mlp.c_fc.weight',
  'transformer.h.*.mlp.c_proj.weight',
];

/** Rank, scale and which weights get adapters. */
export interface LoRAOptions {
  rank: number;
  /** The update is scaled by alpha / rank (default alpha = rank: scale 1). */
  alpha?: number;
  targets?: NameFilter;
  seed?: number;
  /**
   * Also train the last `newTokenRows` rows of the token embedding (tokens added for fine-tuning, e.g. chat tokens):
   * without them the adapted model cannot learn what a new token means, nor (tied head) to emit it. Default 0.
   */
  newTokenRows?: number;
}

/** The name of the trainable copy of the token embedding's new rows (n, C). */
export const NEW_TOKEN_ROWS = 'transformer.wte.weight.new_rows';

/** The LoRA scale s = alpha / rank. */
export function loraScale(o: LoRAOptions): number {
  return (o.alpha ?? o.rank) / o.rank;
}

/** New adapter parameters for every targeted weight (out, in): `.lora_A` (r, in) ~ N(0, 1/in), `.lora_B` (out, r) = 0. */
export function initLoRA(params: Params, o: LoRAOptions): Params {
  if (!(Number.isInteger(o.rank) && o.rank >= 1))
    throw new Error(`LoRA rank must be a positive integer, got ${o.rank}`);
  const isTarget = nameMatcher(o.targets ?? LORA_DEFAULT_TARGETS);
  const rng = new Rng(o.seed ?? 0);
  const adapters: Params = {};
  for (const [name, w] of Object.entries(params)) {
    if (!isTarget(name)) continue;
    if (w.rank !== 2)
      throw new Error(`LoRA adapts matrices; "${name}" has shape [${w.shape}]: leave it out of targets`);
    const [out, inp] = w.shape;
    if (o.rank > Math.min(out, inp))
      throw new Error(`LoRA rank ${o.rank} exceeds the smaller side of "${name}" [${w.shape}]`);
    addNormal(adapters, `${name}.lora_A`, [o.rank, inp], 1 / Math.sqrt(inp), rng);
    addConstant(adapters, `${name}.lora_B`, [out, o.rank], 0);
  }
  if (Object.keys(adapters).length === 0)
    throw new Error(
      `no parameter matches the LoRA targets; names look like ${Object.keys(params).slice(0, 3).join(', ')}`,
    );
  const n = o.newTokenRows ?? 0;
  if (n > 0) {
    const wte = param(params, 'transformer.wte.weight'); // (V, C)
    const [V, C] = wte.shape as [number, number];
    if (!(Number.isInteger(n) && n <= V)) throw new Error(`newTokenRows must be an integer in [0, ${V}], got ${n}`);
    adapters[NEW_TOKEN_ROWS] = tf.tidy(() => tf.variable(wte.slice([V - n, 0], [n, C]), true)); // (n, C)
  }
  return adapters;
}

/** The LoRA layer: x (…, in) → x Wᵀ + b + scale · (x Aᵀ) Bᵀ (…, out), with W (out, in), A (r, in), B (out, r). */
export function loraLinear(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor | undefined,
  A: tf.Tensor,
  B: tf.Tensor,
  scale: number,
): tf.Tensor {
  return tf.tidy(() => linear(x, weight, bias).add(linear(linear(x, A), B).mul(scale))); // (…, out)
}

/** The merged weight W + scale · B A (out, in). */
export function mergeLoRAWeight(weight: tf.Tensor, A: tf.Tensor, B: tf.Tensor, scale: number): tf.Tensor {
  return tf.tidy(() => weight.add(tf.matMul(B, A).mul(scale))); // (out, in)
}

/**
 * The adapted model's parameters for one forward pass: each adapted weight replaced by W + s·B·A, everything else
 * as is. Call inside a tidy or a loss function: gradients flow to A and B (and to W only if W is not frozen).
 */
export function withLoRA(params: Params, adapters: Params, scale: number): Params {
  const out: Params = { ...params };
  for (const name of adaptedNames(adapters)) {
    out[name] = mergeLoRAWeight(
      param(params, name),
      param(adapters, `${name}.lora_A`),
      param(adapters, `${name}.lora_B`),
      scale,
    ) as tf.Variable;
  }
  if (NEW_TOKEN_ROWS in adapters)
    out['transformer.wte.weight'] = withNewRows(
      param(params, 'transformer.wte.weight'),
      adapters[NEW_TOKEN_ROWS],
    ) as tf.Variable;
  return out;
}

/** Merge the adapters into params in place (W ← W + s·B·A) and dispose them: the model is a plain GPT again. */
export function mergeLoRA(params: Params, adapters: Params, scale: number): void {
  for (const name of adaptedNames(adapters)) {
    const w = param(params, name);
    const merged = mergeLoRAWeight(w, param(adapters, `${name}.lora_A`), param(adapters, `${name}.lora_B`), scale);
    w.assign(merged);
    merged.dispose();
  }
  if (NEW_TOKEN_ROWS in adapters) {
    const wte = param(params, 'transformer.wte.weight');
    const merged = withNewRows(wte, adapters[NEW_TOKEN_ROWS]);
    wte.assign(merged);
    merged.dispose();
  }
  for (const v of Object.values(adapters)) v.dispose();
}

/** The embedding (V, C) with its last n rows replaced by rows (n, C). */
function withNewRows(wte: tf.Tensor, rows: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [V, C] = wte.shape;
    const n = rows.shape[0];
    return tf.concat([wte.slice([0, 0], [V - n, C]), rows], 0); // (V, C)
  });
}

function adaptedNames(adapters: Params): string[] {
  const names = Object.keys(adapters)
    .filter((n) => n.endsWith('.lora_A'))
    .map((n) => n.slice(0, -'.lora_A'.length));
  for (const n of names)
    if (!(`${n}.lora_B` in adapters)) throw new Error(`adapter "${n}.lora_A" has no matching "${n}.lora_B"`);
  return names;
}
