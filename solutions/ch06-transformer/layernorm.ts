import { tf } from '@how-llms-work/lib';

/**
 * Layer norm over the last axis: x (…, C), gain γ (C), shift β (C) → (…, C).
 *   μ = mean of the row,  σ² = mean of (x − μ)²  (the biased variance: divide by C, not C − 1, as PyTorch)
 *   y = (x − μ) / √(σ² + ε) · γ + β
 * ε keeps a constant row (σ² = 0) from dividing by zero: it comes out as β, not NaN.
 *
 * Example: layerNormLastAxis([[0, 2]], γ = [1, 1], β = [0, 0]) → [[−1, 1]] (μ = 1, σ² = 1; up to ε).
 */
export function layerNormLastAxis(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  // BEGIN SOLUTION: Layer norm
  return tf.tidy(() => {
    const mean = x.mean(-1, true); // (…, 1)
    const variance = x.sub(mean).square().mean(-1, true); // (…, 1)
    return x.sub(mean).div(variance.add(eps).sqrt()).mul(gamma).add(beta); // (…, C)
  });
  // END SOLUTION
}
