/**
 * Skip-gram with negative sampling (Mikolov et al., 2013, "Distributed Representations of Words and
 * Phrases and their Compositionality"). Each word predicts the words around it: for a (center, context)
 * pair the model raises σ(u_center · v_context) and lowers σ(u_center · v_noise) for K noise words drawn
 * from the unigram distribution to the power 3/4. Two tables: input vectors U (V, C), the word vectors
 * we keep, and output vectors W (V, C), used only for training.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { WordVectors } from './word-vectors';

/** Options of trainSkipGram; defaults in brackets. */
export interface SkipGramOptions {
  /** C, the vector width [64]. */
  dim?: number;
  /** Largest distance between center and context; each center draws its window from 1..window as word2vec does [4]. */
  window?: number;
  /** K, noise words per pair [5]. */
  negatives?: number;
  /** Words seen fewer times are dropped from the vocabulary [5]. */
  minCount?: number;
  /** Keep at most this many most frequent words [no limit]. */
  maxVocab?: number;
  /** Frequent words are randomly discarded with probability 1 − √(t / f) for frequency f [1e-3]; 0 keeps all. */
  subsample?: number;
  /** Passes over the corpus [1]. */
  epochs?: number;
  /** SGD step per pair at the start; decays linearly to 1e-4 of it, as word2vec does [0.025]. */
  lr?: number;
  seed?: number;
  /** Called every `logEvery` pairs with the mean loss per pair since the last call [100 000]. */
  onProgress?: (p: SkipGramProgress) => void;
  logEvery?: number;
}

/** A vocabulary with counts, most frequent first. */
export interface CountedVocab {
  vocab: string[];
  counts: number[];
  index: Map<string, number>;
}

/** Count words in sentences and keep those seen at least minCount times, most frequent first (ties alphabetical). */
export function countVocab(sentences: string[][], minCount = 5, maxVocab = Infinity): CountedVocab {
  const counts = new Map<string, number>();
  for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const kept = [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxVocab);
  if (kept.length < 2) {
    throw new Error(
      `only ${kept.length} word(s) occur at least minCount=${minCount} times: lower minCount or pass more text`,
    );
  }
  return { vocab: kept.map(([w]) => w), counts: kept.map(([, n]) => n), index: new Map(kept.map(([w], i) => [w, i])) };
}

/** Noise distribution of word2vec: P(w) ∝ count(w)^0.75 → cumulative (V), for sampling by binary search. */
export function noiseCumulative(counts: number[]): Float64Array {
  const cdf = new Float64Array(counts.length);
  let total = 0;
  counts.forEach((n, i) => {
    total += Math.pow(n, 0.75);
    cdf[i] = total;
  });
  for (let i = 0; i < cdf.length; i++) cdf[i] /= total;
  return cdf;
}

function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** (center, context) id pairs of one pass: OOV words dropped, frequent words subsampled, a random window per center. */
export function skipGramPairs(
  sentences: string[][],
  v: CountedVocab,
  rng: Rng,
  window = 4,
  subsample = 1e-3,
): { centers: Int32Array; contexts: Int32Array } {
  const total = v.counts.reduce((a, b) => a + b, 0);
  const keepProb = v.counts.map((n) => (subsample > 0 ? Math.min(1, Math.sqrt((subsample * total) / n)) : 1));
  const centers: number[] = [];
  const contexts: number[] = [];
  for (const sentence of sentences) {
    const ids: number[] = [];
    for (const w of sentence) {
      const id = v.index.get(w);
      if (id !== undefined && rng.next() < keepProb[id]) ids.push(id);
    }
    for (let i = 0; i < ids.length; i++) {
      const b = 1 + rng.int(window); // word2vec's shrunk window: nearer words are sampled more often
      for (let j = Math.max(0, i - b); j <= Math.min(ids.length - 1, i + b); j++) {
        if (j === i) continue;
        centers.push(ids[i]);
        contexts.push(ids[j]);
      }
    }
  }
  return { centers: Int32Array.from(centers), contexts: Int32Array.from(contexts) };
}

/**
 * Negative-sampling loss, mean over the batch: center (B, C), context (B, C), noise (B, K, C) → scalar
 * −[log σ(u·v) + Σₖ log σ(−u·nₖ)].
 */
export function negativeSamplingLoss(center: tf.Tensor2D, context: tf.Tensor2D, noise: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const pos = center.mul(context).sum(1); // (B)
    // A broadcast multiply, not a batched matmul: B tiny (K, C)·(C, 1) products are slow as matmuls.
    const neg = noise.mul(center.expandDims(1)).sum(2); // (B, K, C) ⊙ (B, 1, C) → (B, K)
    // log σ(x) = −softplus(−x), stable for large |x|.
    const loss = tf.softplus(pos.neg()).add(tf.softplus(neg).sum(1)); // (B)
    return loss.mean() as tf.Scalar;
  });
}

/** Mean loss since the last report, and progress through the pairs. */
export interface SkipGramProgress {
  pairs: number;
  totalPairs: number;
  loss: number;
  elapsedMs: number;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * One SGD step on one (center, context) pair and its noise words, with the gradient of negativeSamplingLoss
 * written out as word2vec.c does: for a score s = u·w with label y (1 for the context, 0 for noise),
 * ∂loss/∂s = σ(s) − y, so u moves by −lr(σ(s) − y)·w and w by −lr(σ(s) − y)·u. Returns the pair's loss.
 */
export function skipGramSgdStep(
  U: Float32Array,
  W: Float32Array,
  C: number,
  center: number,
  context: number,
  noise: ArrayLike<number>,
  lr: number,
  du: Float32Array = new Float32Array(C),
): number {
  const u = center * C;
  du.fill(0); // u's update, applied at the end so that every score uses the same u
  let loss = 0;
  for (let k = -1; k < noise.length; k++) {
    const target = k < 0 ? context : noise[k];
    const label = k < 0 ? 1 : 0;
    const w = target * C;
    let s = 0;
    for (let i = 0; i < C; i++) s += U[u + i] * W[w + i];
    const p = sigmoid(s);
    loss -= Math.log(Math.max(label ? p : 1 - p, 1e-30));
    const g = lr * (label - p); // −lr · ∂loss/∂s
    for (let i = 0; i < C; i++) {
      du[i] += g * W[w + i];
      W[w + i] += g * U[u + i];
    }
  }
  for (let i = 0; i < C; i++) U[u + i] += du[i];
  return loss;
}

/**
 * Train skip-gram vectors on tokenised sentences → { vocab, counts, index, vectors (V, C) }.
 * The inner loop is word2vec's per-pair SGD on plain arrays: a lookup touches K + 2 rows of width C, so a
 * dense (V, C) gradient per step (what autodiff through tf.gather gives) would waste almost all its work.
 */
export function trainSkipGram(sentences: string[][], options: SkipGramOptions = {}): WordVectors {
  const o = {
    dim: 64,
    window: 4,
    negatives: 5,
    minCount: 5,
    maxVocab: Infinity,
    subsample: 1e-3,
    epochs: 1,
    lr: 0.025,
    seed: 1337,
    logEvery: 100_000,
    ...options,
  };
  for (const key of ['dim', 'window', 'negatives', 'epochs', 'logEvery'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1)
      throw new Error(`skip-gram ${key} must be a positive integer, got ${o[key]}`);
  }
  if (!(o.lr > 0)) throw new Error(`skip-gram lr must be positive, got ${o.lr}`);
  if (!(o.subsample >= 0)) throw new Error(`skip-gram subsample must be >= 0 (0 keeps every word), got ${o.subsample}`);
  const rng = new Rng(o.seed);
  const v = countVocab(sentences, o.minCount, o.maxVocab);
  const V = v.vocab.length;
  const C = o.dim;
  const cdf = noiseCumulative(v.counts);
  // word2vec's initialisation: small random input vectors U (kept), zero output vectors W (dropped after training).
  const U = Float32Array.from({ length: V * C }, () => (rng.next() - 0.5) / C); // (V, C)
  const W = new Float32Array(V * C); // (V, C)
  const epochPairs = [...Array(o.epochs)].map(() => skipGramPairs(sentences, v, rng, o.window, o.subsample));
  const totalPairs = epochPairs.reduce((n, p) => n + p.centers.length, 0);
  if (totalPairs === 0)
    throw new Error('the corpus gave no (center, context) pairs: pass sentences of at least two in-vocabulary words');
  const started = Date.now();
  const noise = new Int32Array(o.negatives);
  const du = new Float32Array(C);
  let done = 0;
  let lossSum = 0;
  let lossCount = 0;
  for (const pairs of epochPairs) {
    const order = rng.shuffle(Array.from(pairs.centers.keys()));
    for (const r of order) {
      for (let k = 0; k < noise.length; k++) {
        do noise[k] = sampleCdf(cdf, rng.next());
        while (noise[k] === pairs.contexts[r] && V > 1); // a noise word that is the true context would cancel it
      }
      const lr = o.lr * Math.max(1e-4, 1 - done / totalPairs); // linear decay, as word2vec
      lossSum += skipGramSgdStep(U, W, C, pairs.centers[r], pairs.contexts[r], noise, lr, du);
      lossCount++;
      done++;
      if (o.onProgress && done % o.logEvery === 0) {
        o.onProgress({ pairs: done, totalPairs, loss: lossSum / lossCount, elapsedMs: Date.now() - started });
        lossSum = 0;
        lossCount = 0;
      }
    }
  }
  return { vocab: v.vocab, counts: v.counts, index: v.index, vectors: tf.tensor2d(U, [V, C]) };
}
