/**
 * Token embeddings: a lookup table with one learned row of width C per vocabulary entry.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Rows of `table` (V, C) for `ids` (B, T) int32 → (B, T, C). */
export function tokenEmbedding(table: tf.Tensor, ids: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    if (ids.dtype !== 'int32')
      throw new Error(`token ids must be int32, got ${ids.dtype}: build them with tf.tensor2d(ids, shape, 'int32')`);
    const [B, T] = ids.shape as number[];
    const C = table.shape[1] as number;
    return tf.gather(table, ids.reshape([-1])).reshape([B, T, C]) as tf.Tensor3D; // (B, T, C)
  });
}

/** Learned positions: rows offset … offset+T−1 of `table` (blockSize, C) → (T, C). */
export function learnedPositions(table: tf.Tensor, T: number, offset = 0): tf.Tensor2D {
  const blockSize = table.shape[0];
  if (offset + T > blockSize) {
    throw new Error(
      `positions ${offset}…${offset + T - 1} exceed the learned table's ${blockSize} rows (blockSize): crop the context to the last ${blockSize} tokens`,
    );
  }
  return tf.slice(table, [offset, 0], [T, -1]) as tf.Tensor2D; // (T, C)
}
