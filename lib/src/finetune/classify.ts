/**
 * A language model as a classifier: run the GPT without its vocabulary head, read the residual stream, and project
 * it to K class logits. Which position's state: the LAST one (the only one that has attended to the whole window),
 * or the MEAN over positions (every position's summary of its prefix; a small model's last state is mostly busy
 * predicting the next character).
 *   ids (B, T) → blocks → ln_f → h[:, T−1] or mean_t h (B, C) → classifier (K, C) → logits (B, K)
 * The head is two named parameters, `classifier.weight` (K, C) and `classifier.bias` (K), beside the GPT's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { gptBlock, gptEmbed, type GPTConfig } from '../model/gpt';
import { addLinear, maybeParam, param } from '../model/init';
import { layerNorm } from '../model/layernorm';
import { linear } from '../model/linear';
import type { Params } from '../model/params';

/** The GPT's final residual stream (B, T, C) for ids (B, T), after ln_f on a pre-LN stack: what the vocabulary head would read. */
export function gptHiddenStates(params: Params, config: GPTConfig, ids: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    let x: tf.Tensor = gptEmbed(params, config, ids); // (B, T, C)
    for (let i = 0; i < config.nLayer; i++) x = gptBlock(params, config, i, x);
    if ((config.norm ?? 'pre') === 'pre')
      x = layerNorm(x, param(params, 'transformer.ln_f.weight'), maybeParam(params, 'transformer.ln_f.bias'));
    return x as tf.Tensor3D; // (B, T, C)
  });
}

/** Add a classification head `classifier.weight` (K, C) ~ N(0, 0.02²) and `classifier.bias` (K) = 0 to params. */
export function addClassifierHead(params: Params, width: number, numClasses: number, seed = 0): void {
  if (!(Number.isInteger(numClasses) && numClasses >= 2))
    throw new Error(`a classifier needs at least 2 classes, got ${numClasses}`);
  addLinear(params, 'classifier', width, numClasses, 0.02, true, new Rng(seed));
}

/** Which hidden state the classification head reads: the last position's, or the mean over positions. */
export type Pooling = 'last' | 'mean';

/** Class logits (B, K) from the hidden states of ids (B, T), pooled to (B, C) by `pool` (default the last position). */
export function classifierLogits(
  params: Params,
  config: GPTConfig,
  ids: tf.Tensor2D,
  pool: Pooling = 'last',
): tf.Tensor2D {
  if (pool !== 'last' && pool !== 'mean') throw new Error(`pooling must be 'last' or 'mean', got ${String(pool)}`);
  return tf.tidy(() => {
    const h = gptHiddenStates(params, config, ids); // (B, T, C)
    const [B, T, C] = h.shape;
    const pooled = pool === 'mean' ? h.mean(1) : h.slice([0, T - 1, 0], [B, 1, C]).reshape([B, C]); // (B, C)
    return linear(pooled, param(params, 'classifier.weight'), maybeParam(params, 'classifier.bias')) as tf.Tensor2D; // (B, K)
  });
}

/** A labelled token sequence: one document's ids and its class. */
export interface LabeledIds {
  ids: number[];
  label: number;
}

/** Split items so that each class keeps about `fraction` of its items in the second part (at least one when it has two). */
export function stratifiedSplit<T>(
  items: T[],
  labelOf: (item: T) => number,
  fraction: number,
  seed: number,
): { first: T[]; second: T[] } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`split fraction must be in (0, 1), got ${fraction}`);
  const rng = new Rng(seed);
  const byLabel = new Map<number, T[]>();
  for (const item of items) byLabel.set(labelOf(item), [...(byLabel.get(labelOf(item)) ?? []), item]);
  const first: T[] = [];
  const second: T[] = [];
  for (const group of [...byLabel.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])) {
    const shuffled = shuffle(group, rng);
    const k = group.length >= 2 ? Math.max(1, Math.round(group.length * fraction)) : 0;
    second.push(...shuffled.slice(0, k));
    first.push(...shuffled.slice(k));
  }
  return { first, second };
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A batch of B random windows of T tokens from random documents: x (B, T) int32 and their labels y (B) int32. */
export function sampleWindows(docs: LabeledIds[], B: number, T: number, rng: Rng): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const x = new Int32Array(B * T);
  const y = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const doc = docs[rng.int(docs.length)];
    if (doc.ids.length < T)
      throw new Error(
        `a document of ${doc.ids.length} tokens is shorter than the window ${T}: drop it or shorten the window`,
      );
    const start = rng.int(doc.ids.length - T + 1);
    x.set(doc.ids.slice(start, start + T), b * T);
    y[b] = doc.label;
  }
  return { x: tf.tensor2d(x, [B, T], 'int32'), y: tf.tensor1d(y, 'int32') };
}

/**
 * One label per document: the class with the highest mean log-probability over `windows` evenly spaced windows
 * of T tokens (a document is longer than one context, so it is read in pieces and the pieces vote).
 */
export function predictDocuments(
  params: Params,
  config: GPTConfig,
  docs: LabeledIds[],
  T: number,
  windows: number,
  pool: Pooling = 'last',
): number[] {
  return docs.map((doc) => {
    const span = doc.ids.length - T;
    if (span < 0) throw new Error(`a document of ${doc.ids.length} tokens is shorter than the window ${T}`);
    const starts = Array.from({ length: windows }, (_, i) => Math.round((span * i) / Math.max(1, windows - 1)));
    const best = tf.tidy(() => {
      const x = tf.tensor2d(
        starts.map((s) => doc.ids.slice(s, s + T)),
        [windows, T],
        'int32',
      ); // (W, T)
      return tf
        .logSoftmax(classifierLogits(params, config, x, pool))
        .mean(0)
        .argMax(); // (K) → ()
    });
    const label = best.dataSync()[0];
    best.dispose();
    return label;
  });
}

/** Confusion matrix (K, K) as counts: row = true class, column = predicted class. */
export function confusionMatrix(labels: number[], predictions: number[], numClasses: number): number[][] {
  if (labels.length !== predictions.length)
    throw new Error(`one prediction per label: got ${predictions.length} predictions and ${labels.length} labels`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  labels.forEach((l, i) => {
    const p = predictions[i];
    if (!(l >= 0 && l < numClasses && p >= 0 && p < numClasses))
      throw new Error(`class ids must be in [0, ${numClasses}), got label ${l} and prediction ${p}`);
    m[l][p]++;
  });
  return m;
}
