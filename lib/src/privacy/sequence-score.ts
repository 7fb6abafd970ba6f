/**
 * How likely a model finds a whole sequence: the sum of log p(x_t | x_<t) over the positions
 * that matter. Exposure ranks a canary by it; bias probes compare continuations by it.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Any next-token model: ids (B, T) → logits (B, T, V). */
export type LogitsFn = (ids: tf.Tensor2D) => tf.Tensor3D;

/** Sum of natural-log probabilities of tokens at positions ≥ from, for each sequence (N sequences → N numbers). */
export function sequenceLogProbs(logitsFn: LogitsFn, sequences: number[][], from: number, batchSize = 128): number[] {
  if (!(Number.isInteger(from) && from >= 1))
    throw new Error(`from must be an integer ≥ 1 (the first scored token needs a context), got ${from}`);
  const out = new Array<number>(sequences.length);
  // Sequences of one length go through the model together.
  const byLength = new Map<number, number[]>();
  sequences.forEach((s, i) => {
    if (s.length <= from)
      throw new Error(`sequence ${i} has length ${s.length}; it needs more than from = ${from} tokens`);
    byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]);
  });
  for (const [T, indices] of byLength) {
    for (let start = 0; start < indices.length; start += batchSize) {
      const chunk = indices.slice(start, start + batchSize);
      const scores = tf.tidy(() => {
        const ids = tf.tensor2d(
          chunk.map((i) => sequences[i]),
          [chunk.length, T],
          'int32',
        ); // (B, T)
        const logp = tf.logSoftmax(logitsFn(ids.slice([0, 0], [-1, T - 1]) as tf.Tensor2D)); // (B, T-1, V): predicts tokens 1..T-1
        const targets = ids.slice([0, 1], [-1, T - 1]); // (B, T-1)
        const V = logp.shape[2];
        const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, V)), 2); // (B, T-1)
        return tf.sum(picked.slice([0, from - 1], [-1, T - from]), 1); // (B)
      });
      const values = scores.dataSync();
      scores.dispose();
      chunk.forEach((i, j) => (out[i] = values[j]));
    }
  }
  return out;
}
