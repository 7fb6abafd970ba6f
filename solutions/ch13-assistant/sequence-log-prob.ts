import { tf } from '@how-llms-work/lib';

/**
 * The log-probability of each row's reply: logits (B, T, V) and int32 targets (B, T), where −1 marks a position
 * that is not part of the reply. Return (B): for each row, the sum over counted positions t of
 * log softmax(logits[b, t])[targets[b, t]]. Use a numerically stable log-softmax (logits may be in the hundreds),
 * let gradients flow to the logits, and leave no intermediate tensors behind.
 *
 * Example: logits all zero with V = 4, targets [[2, −1, 0]] → [2 · log(1/4)] ≈ [−2.7726]
 */
export function sequenceLogProb(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor1D {
  // BEGIN SOLUTION: Preference tuning with DPO
  const V = logits.shape[2];
  return tf.tidy(() => {
    const keep = targets.notEqual(tf.scalar(-1, 'int32')); // (B, T)
    const safe = tf.where(keep, targets, tf.zerosLike(targets));
    const shifted = logits.sub(logits.max(-1, true));
    const logp = shifted.sub(shifted.exp().sum(-1, true).log()); // (B, T, V)
    const picked = logp.mul(tf.oneHot(safe, V).toFloat()).sum(-1); // (B, T)
    return picked.mul(keep.toFloat()).sum(-1) as tf.Tensor1D;
  });
  // END SOLUTION
}
