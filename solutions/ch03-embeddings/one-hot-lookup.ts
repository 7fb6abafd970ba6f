import { tf } from '@how-llms-work/lib';

/**
 * An embedding lookup written as a matrix product: turn ids (N) into one-hot rows (N, V) and multiply by
 * the table (V, C) → (N, C). Row i of the result is row ids[i] of the table, exactly what tf.gather gives;
 * do not call tf.gather. Throw an Error naming the id if one is outside [0, V).
 *
 * Example: table = [[1, 2], [3, 4], [5, 6]], ids = [2, 0] → [[5, 6], [1, 2]].
 */
export function embedByOneHot(table: tf.Tensor2D, ids: number[]): tf.Tensor2D {
  // BEGIN SOLUTION: An embedding lookup is a matrix product
  const V = table.shape[0];
  for (const id of ids)
    if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`id ${id} is outside the vocabulary [0, ${V})`);
  return tf.tidy(() => tf.matMul(tf.oneHot(tf.tensor1d(ids, 'int32'), V).toFloat(), table)); // (N, V) @ (V, C)
  // END SOLUTION
}
