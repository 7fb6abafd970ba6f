/**
 * Why attention replaced recurrence: a recurrent layer over T tokens is a chain of T dependent steps,
 * while self-attention over the same T tokens is a handful of big matrix products with no chain at all.
 * This file times both on the same input as T grows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { causalMask, scaledDotProductAttention } from '../model/attention';
import type { Params } from '../model/params';
import { runRecurrence } from './forward';
import { initRecurrent } from './params';

/** One timing row: T, milliseconds per call for each layer, and how many dependent steps each must run in order. */
export interface ParallelismTiming {
  T: number;
  recurrentMs: number;
  attentionMs: number;
  recurrentSequentialSteps: number;
  attentionSequentialSteps: number;
}

/** One causal self-attention layer (single head, D = C) from the model's own attention: x (B, T, C) → (B, T, C). */
function attentionLayer(
  x: tf.Tensor3D,
  mask: tf.Tensor2D,
  wq: tf.Tensor2D,
  wk: tf.Tensor2D,
  wv: tf.Tensor2D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape;
    const flat = x.reshape([B * T, C]); // (B*T, C)
    const [q, k, v] = [wq, wk, wv].map((w) => tf.matMul(flat, w).reshape([B, 1, T, C])); // (B, 1, T, C) each
    return scaledDotProductAttention(q, k, v, { mask }).output.reshape([B, T, C]) as tf.Tensor3D; // (B, T, C)
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeCall(fn: () => tf.Tensor, repeats: number): number {
  fn().dispose(); // warm-up: first calls compile and allocate
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const out = fn();
    out.dataSync(); // wait for the result, whatever the backend
    times.push(performance.now() - start);
    out.dispose();
  }
  return median(times);
}

/** Time a T-step tanh RNN against one causal attention call on the same (B, T, C) input, for each T in `lengths`. */
export function timeRecurrenceVsAttention(opts: {
  lengths: number[];
  width?: number;
  batch?: number;
  repeats?: number;
  seed?: number;
}): ParallelismTiming[] {
  const { lengths, width: C = 64, batch: B = 8, repeats = 3, seed = 1337 } = opts;
  for (const T of lengths)
    if (!Number.isInteger(T) || T < 1) throw new Error(`sequence lengths must be positive integers, got ${T}`);
  const rng = new Rng(seed);
  const params: Params = initRecurrent({ kind: 'rnn', vocabSize: 1, width: C }, rng.seed());
  const [wq, wk, wv] = [0, 1, 2].map(
    () => tf.randomNormal([C, C], 0, 1 / Math.sqrt(C), 'float32', rng.seed()) as tf.Tensor2D,
  );
  const rows: ParallelismTiming[] = [];
  for (const T of lengths) {
    const x = tf.randomNormal([B, T, C], 0, 1, 'float32', rng.seed()) as tf.Tensor3D; // (B, T, C)
    const mask = causalMask(T, T); // (T, T)
    rows.push({
      T,
      recurrentMs: timeCall(() => runRecurrence(params, { kind: 'rnn', vocabSize: 1, width: C }, x), repeats),
      attentionMs: timeCall(() => attentionLayer(x, mask, wq, wk, wv), repeats),
      recurrentSequentialSteps: T,
      attentionSequentialSteps: 1,
    });
    tf.dispose([x, mask]);
  }
  for (const t of [wq, wk, wv, ...Object.values(params)]) t.dispose();
  return rows;
}
