/**
 * Structured pruning pays off only when the pruned neurons are really gone: cutting the zero rows of
 * `mlp.c_fc` and the matching columns of `mlp.c_proj` gives smaller matrices that multiply faster.
 * (The MLP's hidden width is read from the weights' shapes, so the model runs unchanged.)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPTConfig } from '../model/gpt';
import type { NamedTensors, Params } from '../model/params';

/** Copy of the parameters with every all-zero MLP neuron removed: c_fc (4C, C) → (h, C), c_proj (C, 4C) → (C, h). */
export function shrinkMlpNeurons(params: Params | NamedTensors, config: GPTConfig): NamedTensors {
  const out: NamedTensors = {};
  const cut = new Set<string>();
  for (let i = 0; i < config.nLayer; i++) {
    const prefix = `transformer.h.${i}.mlp`;
    const fc = params[`${prefix}.c_fc.weight`];
    const proj = params[`${prefix}.c_proj.weight`];
    if (!fc || !proj) throw new Error(`no MLP weights under ${prefix}: shrinkMlpNeurons needs a GPT's parameters`);
    // A neuron is gone when nothing reads into it or nothing reads out of it.
    const alive = tf.tidy(() => fc.abs().sum(1).greater(0).logicalAnd(proj.abs().sum(0).greater(0)));
    const keep = Int32Array.from(Array.from(alive.dataSync()).flatMap((a, j) => (a ? [j] : [])));
    alive.dispose();
    if (keep.length === 0) throw new Error(`block ${i} has no MLP neuron left: prune a smaller fraction`);
    const idx = tf.tensor1d(keep, 'int32');
    out[`${prefix}.c_fc.weight`] = tf.gather(fc, idx, 0); // (h, C)
    out[`${prefix}.c_proj.weight`] = tf.gather(proj, idx, 1); // (C, h)
    cut.add(`${prefix}.c_fc.weight`).add(`${prefix}.c_proj.weight`);
    const bias = params[`${prefix}.c_fc.bias`];
    if (bias) {
      out[`${prefix}.c_fc.bias`] = tf.gather(bias, idx); // (h)
      cut.add(`${prefix}.c_fc.bias`);
    }
    idx.dispose();
  }
  // Keep the canonical parameter order.
  const ordered: NamedTensors = {};
  for (const [name, p] of Object.entries(params)) ordered[name] = cut.has(name) ? out[name] : p.clone();
  return ordered;
}

/** Bytes of the parameters stored densely in fp32. */
export function denseBytes(params: Params | NamedTensors): number {
  return Object.values(params).reduce((n, p) => n + 4 * p.size, 0);
}

/** Bytes with zeros stored sparsely: a 1-bit-per-entry mask plus fp32 nonzeros, whenever that is smaller than dense. */
export function sparseBytes(params: Params | NamedTensors): number {
  let bytes = 0;
  for (const p of Object.values(params)) {
    const v = p.dataSync();
    let nonzero = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) nonzero++;
    bytes += Math.min(4 * v.length, Math.ceil(v.length / 8) + 4 * nonzero);
  }
  return bytes;
}
