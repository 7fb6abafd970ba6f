/**
 * Trained word vectors: a vocabulary and one row of width C per word.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Words `vocab[i]` with corpus counts `counts[i]` and vectors row i of `vectors` (V, C). Dispose with disposeWordVectors. */
export interface WordVectors {
  vocab: string[];
  counts: number[];
  /** Word → row, the inverse of vocab. */
  index: Map<string, number>;
  vectors: tf.Tensor2D;
}

/** Row of `word` in the vocabulary; an error names the word and suggests a near spelling if the vocabulary has one. */
export function wordId(wv: WordVectors, word: string): number {
  const id = wv.index.get(word);
  if (id !== undefined) return id;
  const lower = wv.index.has(word.toLowerCase()) ? ` (did you mean "${word.toLowerCase()}"? words are lowercased)` : '';
  throw new Error(
    `"${word}" is not in the ${wv.vocab.length}-word vocabulary${lower}: it was rarer than minCount, or not in the corpus`,
  );
}

const hostCopies = new WeakMap<tf.Tensor, Float32Array>();

/** The vector (C) of one word, read from a host copy of the table made once. */
export function wordVector(wv: WordVectors, word: string): number[] {
  const id = wordId(wv, word);
  let data = hostCopies.get(wv.vectors);
  if (!data) {
    data = wv.vectors.dataSync() as Float32Array;
    hostCopies.set(wv.vectors, data);
  }
  const C = wv.vectors.shape[1];
  return Array.from(data.subarray(id * C, (id + 1) * C));
}

/** Free the vectors' tensor. */
export function disposeWordVectors(wv: WordVectors): void {
  wv.vectors.dispose();
}
