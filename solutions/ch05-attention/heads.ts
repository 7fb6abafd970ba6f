import { tf } from '@how-llms-work/lib';

/**
 * Split x (B, T, C) into H heads of width D = C / H → (B, H, T, D).
 * Head h gets the columns h·D … h·D + D − 1 of every position: out[b][h][t][d] = x[b][t][h·D + d].
 * If C is not divisible by H, throw an Error whose message contains both C and H.
 *
 * Example: x = [[[1, 2, 3, 4]]] (B = 1, T = 1, C = 4), H = 2 → [[[[1, 2]], [[3, 4]]]] (shape [1, 2, 1, 2]).
 */
export function splitIntoHeads(x: tf.Tensor3D, H: number): tf.Tensor4D {
  // BEGIN SOLUTION: Many heads: split and merge
  const [B, T, C] = x.shape;
  if (C % H !== 0) throw new Error(`width C = ${C} is not divisible by H = ${H} heads`);
  return tf.tidy(() => x.reshape([B, T, H, C / H]).transpose([0, 2, 1, 3]) as tf.Tensor4D); // (B, H, T, D)
  // END SOLUTION
}

/**
 * Merge heads x (B, H, T, D) back into (B, T, H·D): the inverse of splitIntoHeads,
 * out[b][t][h·D + d] = x[b][h][t][d], so mergeHeads(splitIntoHeads(x, H)) equals x.
 *
 * Example: [[[[1, 2]], [[3, 4]]]] (shape [1, 2, 1, 2]) → [[[1, 2, 3, 4]]].
 */
export function mergeFromHeads(x: tf.Tensor4D): tf.Tensor3D {
  // BEGIN SOLUTION: Many heads: split and merge
  const [B, H, T, D] = x.shape;
  return tf.tidy(() => x.transpose([0, 2, 1, 3]).reshape([B, T, H * D]) as tf.Tensor3D); // (B, T, C)
  // END SOLUTION
}
