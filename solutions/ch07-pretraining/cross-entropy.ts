import { tf } from '@how-llms-work/lib';

/**
 * Mean cross-entropy of logits (N, V) against target ids (N) int32 → scalar: the mean over rows of −log softmax(row)[target].
 * Compute log-softmax stably: subtract each row's max before exp, so logits like 1000 do not overflow.
 * Build it from differentiable tf ops (no dataSync) so that tf.grad can train through it.
 *
 * Example: logits [[0, 0], [0, 0]] with targets [0, 1] → log 2 ≈ 0.6931 (a model that knows nothing about 2 tokens).
 *          logits [[1000, 0]] with targets [0] → 0 (not NaN).
 */
export function crossEntropyLoss(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  // BEGIN SOLUTION: Cross-entropy from −log p
  return tf.tidy(() => {
    const V = logits.shape[1];
    const shifted = logits.sub(logits.max(1, true)); // (N, V)
    const logp = shifted.sub(shifted.exp().sum(1, true).log()); // (N, V)
    return logp.mul(tf.oneHot(targets, V)).sum(1).mean().neg() as tf.Scalar;
  });
  // END SOLUTION
}

/**
 * Perplexity from a mean cross-entropy in nats: exp(loss). A loss below 0 or not finite throws an Error naming the value.
 *
 * Example: perplexityFromLoss(Math.log(65)) → 65 (as unsure as a uniform choice among 65 characters).
 */
export function perplexityFromLoss(loss: number): number {
  // BEGIN SOLUTION: Perplexity
  if (!Number.isFinite(loss) || loss < 0) throw new Error(`loss must be a finite number >= 0, got ${loss}`);
  return Math.exp(loss);
  // END SOLUTION
}
