import { tf } from '@how-llms-work/lib';

/**
 * RMSNorm: divide each row of x (…, C) by its root mean square, then scale by the gain γ (C) → (…, C):
 *   y = x / √(mean(x²) + ε) · γ,  the mean taken over the last axis.
 * Unlike layer norm it subtracts no mean and adds no bias. Return a new tensor and leak no intermediates.
 *
 * Example: x = [[3, 4]], γ = [1, 2], ε = 0 → mean(x²) = 12.5, rms = 3.5355… → [[0.8485, 2.2627]].
 */
export function rmsNormalize(x: tf.Tensor, weight: tf.Tensor, eps = 1e-5): tf.Tensor {
  // BEGIN SOLUTION: RMSNorm
  return tf.tidy(() => x.div(x.square().mean(-1, true).add(eps).sqrt()).mul(weight));
  // END SOLUTION
}
