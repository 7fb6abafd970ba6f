/**
 * Geometry of word vectors: cosine similarity, nearest neighbours and analogies
 * (Mikolov et al., 2013: "king" − "man" + "woman" ≈ "queen" on a large enough corpus).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WordVectors } from './word-vectors';
import { wordId, wordVector } from './word-vectors';

/** cos(u, v) = u·v / (‖u‖ ‖v‖) for two vectors (C) → a number in [-1, 1]. */
export function cosineSimilarity(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length !== v.length)
    throw new Error(`cosine similarity needs vectors of the same width, got ${u.length} and ${v.length}`);
  let dot = 0;
  let uu = 0;
  let vv = 0;
  for (let i = 0; i < u.length; i++) {
    dot += u[i] * v[i];
    uu += u[i] * u[i];
    vv += v[i] * v[i];
  }
  if (uu === 0 || vv === 0)
    throw new Error('cosine similarity of a zero vector is undefined: drop words whose vector is all zeros');
  return dot / Math.sqrt(uu * vv);
}

/** Rows scaled to unit length: (N, C) → (N, C); all-zero rows stay zero. */
export function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => x.div(tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}

/** Cosine similarity of every row of a (N, C) with every row of b (M, C) → (N, M). */
export function cosineSimilarityMatrix(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(unitRows(a), unitRows(b), false, true)); // (N, M)
}

/** A word and how similar it is to the query. */
export interface Neighbour {
  word: string;
  similarity: number;
}

/** The k words whose vectors (V, C) have the highest cosine with `query` (a word or a (C) vector), minus `exclude`. */
export function nearestNeighbours(
  wv: WordVectors,
  query: string | ArrayLike<number>,
  k = 10,
  exclude: string[] = [],
): Neighbour[] {
  const V = wv.vocab.length;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  const skip = new Set(exclude);
  if (typeof query === 'string') skip.add(query);
  const q = typeof query === 'string' ? wordVector(wv, query) : query;
  const C = wv.vectors.shape[1];
  if (q.length !== C) throw new Error(`query vector has width ${q.length} but the word vectors have width ${C}`);
  const sims = tf.tidy(() => cosineSimilarityMatrix(tf.tensor2d(Array.from(q), [1, C]), wv.vectors).reshape([V])); // (V)
  const values = sims.dataSync();
  sims.dispose();
  const order = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  const out: Neighbour[] = [];
  for (const i of order) {
    if (out.length === k) break;
    if (!skip.has(wv.vocab[i])) out.push({ word: wv.vocab[i], similarity: values[i] });
  }
  return out;
}

/** "a is to b as c is to ?": the nearest words to unit(b) − unit(a) + unit(c), excluding a, b and c (3CosAdd). */
export function analogy(wv: WordVectors, a: string, b: string, c: string, k = 5): Neighbour[] {
  const unit = (w: string) => {
    const v = wordVector(wv, w);
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  };
  for (const w of [a, b, c]) wordId(wv, w);
  const [ua, ub, uc] = [unit(a), unit(b), unit(c)];
  const target = ub.map((x, i) => x - ua[i] + uc[i]);
  return nearestNeighbours(wv, target, k, [a, b, c]);
}
