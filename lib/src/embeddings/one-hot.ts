/**
 * One-hot vectors and why nobody multiplies by them: an embedding lookup (gather row `id`)
 * is exactly a one-hot row times the embedding matrix, without the V-wide multiply.
 */
import * as tf from '@tensorflow/tfjs-core';

function checkIds(ids: tf.Tensor, V: number): void {
  if (ids.dtype !== 'int32')
    throw new Error(`token ids must be int32, got ${ids.dtype}: build them with tf.tensor1d(ids, 'int32')`);
  const values = ids.dataSync();
  for (const id of values) {
    if (id < 0 || id >= V)
      throw new Error(`token id ${id} is outside the vocabulary [0, ${V}): check the tokenizer's vocabulary size`);
  }
}

/** One-hot rows: ids (N) int32 → (N, V) float32, a single 1 per row at the id's column. */
export function oneHotRows(ids: tf.Tensor1D, V: number): tf.Tensor2D {
  checkIds(ids, V);
  return tf.tidy(() => tf.oneHot(ids, V).toFloat() as tf.Tensor2D);
}

/** Embedding lookup done the slow, explicit way: one-hot (N, V) × table (V, C) → (N, C); equals tf.gather(table, ids). */
export function lookupByOneHot(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const V = table.shape[0];
  checkIds(ids, V);
  return tf.tidy(() => tf.matMul(tf.oneHot(ids, V).toFloat(), table)); // (N, V) @ (V, C) → (N, C)
}
