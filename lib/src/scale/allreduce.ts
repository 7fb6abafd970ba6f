/**
 * All-reduce: every worker ends up holding the same sum (or mean) of every worker's gradients.
 * Data parallelism needs nothing else: if each worker's gradient is the mean over its shard, the
 * size-weighted mean of those gradients is the gradient of the mean loss over the combined batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../model/params';

/** Weighted mean of several workers' named gradients (each name's shape as in the parameters); weights default to equal. */
export function allReduceMean(gradients: NamedTensors[], weights?: number[]): NamedTensors {
  if (gradients.length === 0) throw new Error('allReduceMean needs at least one gradient list, got 0');
  const w = weights ?? gradients.map(() => 1);
  if (w.length !== gradients.length)
    throw new Error(`allReduceMean got ${gradients.length} gradient lists but ${w.length} weights`);
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`allReduceMean weights must sum to a positive number, got ${total}`);
  const names = Object.keys(gradients[0]);
  gradients.forEach((g, i) => {
    const missing = names.filter((n) => !(n in g));
    if (missing.length || Object.keys(g).length !== names.length) {
      throw new Error(
        `worker ${i}'s gradients do not have the same names as worker 0's (missing: ${missing.join(', ') || 'none'}); every worker must hold the same model`,
      );
    }
  });
  const out: NamedTensors = {};
  for (const name of names) {
    out[name] = tf.tidy(() => tf.addN(gradients.map((g, i) => g[name].mul(w[i] / total))));
  }
  return out;
}

/** Weighted mean of flat Float32Arrays of equal length (the shared-memory form workers exchange). */
export function averageArrays(arrays: Float32Array[], weights?: number[]): Float32Array {
  if (arrays.length === 0) throw new Error('averageArrays needs at least one array, got 0');
  const w = weights ?? arrays.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  return weightedSumInto(
    new Float32Array(arrays[0].length),
    arrays,
    w.map((x) => x / total),
  );
}

/**
 * The weighted sum Σₖ weights[k] · arrays[k] into `out` (all of one length), added in the order of `arrays`, the first
 * two in one pass: the same inputs give the same floats on every thread, which is what keeps data-parallel workers'
 * copies of a model identical.
 */
export function weightedSumInto(out: Float32Array, arrays: Float32Array[], weights: number[]): Float32Array {
  if (arrays.length === 0 || arrays.length !== weights.length)
    throw new Error(
      `weightedSumInto needs as many weights as arrays (at least one), got ${weights.length} and ${arrays.length}`,
    );
  arrays.forEach((a, k) => {
    if (a.length !== out.length)
      throw new Error(
        `array ${k} has length ${a.length}, expected ${out.length}: every worker must send the whole gradient`,
      );
  });
  const n = out.length;
  const [a, w] = [arrays[0], weights[0]];
  if (arrays.length === 1) {
    for (let i = 0; i < n; i++) out[i] = a[i] * w;
    return out;
  }
  const [b, v] = [arrays[1], weights[1]];
  for (let i = 0; i < n; i++) out[i] = a[i] * w + b[i] * v;
  for (let k = 2; k < arrays.length; k++) {
    const [g, u] = [arrays[k], weights[k]];
    for (let i = 0; i < n; i++) out[i] += g[i] * u;
  }
  return out;
}

/** What a ring all-reduce did: the per-worker results and how much each worker sent. */
export interface RingAllReduceResult {
  /** Each worker's buffer after the all-reduce: all equal to the elementwise sum. */
  results: Float32Array[];
  /** Floats each worker sent: 2·(N−1)/N of the buffer, whatever N is (why the ring scales). */
  floatsSentPerWorker: number;
  /** Communication rounds: 2·(N−1). */
  steps: number;
}

/**
 * Simulated ring all-reduce (sum) over N workers' equal-length buffers: N−1 reduce-scatter steps in which
 * each worker passes one chunk to its right-hand neighbour and adds the chunk it receives, then N−1
 * all-gather steps that pass the finished chunks around.
 */
export function ringAllReduce(buffers: Float32Array[]): RingAllReduceResult {
  const N = buffers.length;
  if (N === 0) throw new Error('ringAllReduce needs at least one worker, got 0');
  const size = buffers[0].length;
  buffers.forEach((b, k) => {
    if (b.length !== size)
      throw new Error(`worker ${k} has ${b.length} values, worker 0 has ${size}: buffers must be equal length`);
  });
  const data = buffers.map((b) => Float32Array.from(b));
  const bounds = Array.from({ length: N + 1 }, (_, i) => Math.round((i * size) / N));
  const chunk = (w: number, c: number) => data[w].subarray(bounds[c], bounds[c + 1]);
  let sent = 0;
  const mod = (i: number) => ((i % N) + N) % N;
  // Reduce-scatter: after step s, worker w holds the sum of s+2 workers' copies of chunk (w − s − 1).
  for (let s = 0; s < N - 1; s++) {
    const outgoing = data.map((_, w) => Float32Array.from(chunk(w, mod(w - s))));
    for (let w = 0; w < N; w++) {
      const from = mod(w - 1);
      const target = chunk(w, mod(from - s));
      const incoming = outgoing[from];
      for (let i = 0; i < target.length; i++) target[i] += incoming[i];
    }
    sent += outgoing[0].length;
  }
  // All-gather: worker w now owns the full sum of chunk (w + 1); pass finished chunks around the ring.
  for (let s = 0; s < N - 1; s++) {
    const outgoing = data.map((_, w) => Float32Array.from(chunk(w, mod(w + 1 - s))));
    for (let w = 0; w < N; w++) {
      const from = mod(w - 1);
      chunk(w, mod(from + 1 - s)).set(outgoing[from]);
    }
    sent += outgoing[0].length;
  }
  return { results: data, floatsSentPerWorker: sent, steps: 2 * (N - 1) };
}
