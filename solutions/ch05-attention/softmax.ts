import { tf } from '@how-llms-work/lib';

/**
 * Softmax over the last axis, safe for large logits: x (…, V) → probabilities (…, V), each row summing to 1.
 *   softmax(x)_j = exp(x_j − m) / Σ_k exp(x_k − m),   m = max_k x_k
 * Subtracting the row's maximum changes nothing mathematically but keeps exp from overflowing
 * (exp(1000) is Infinity in float32, and Infinity / Infinity is NaN). An entry of −Infinity (a mask)
 * gets probability 0, as long as its row has one finite entry. Do not call tf.softmax.
 *
 * Example: stableSoftmax(tf.tensor1d([1000, 1001, 1002])) → [0.0900, 0.2447, 0.6652], the same as for [0, 1, 2].
 */
export function stableSoftmax(logits: tf.Tensor): tf.Tensor {
  // BEGIN SOLUTION: Softmax, and why it must be stable
  return tf.tidy(() => {
    const shifted = logits.sub(logits.max(-1, true)); // (…, V), largest entry 0
    const e = shifted.exp();
    return e.div(e.sum(-1, true)); // (…, V)
  });
  // END SOLUTION
}
