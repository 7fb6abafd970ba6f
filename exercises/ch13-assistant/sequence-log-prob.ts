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
  throw new Error('TODO: implement sequenceLogProb (see the chapter 13 notebook, section Preference tuning with DPO)');
}
