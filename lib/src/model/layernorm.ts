/**
 * Layer norm: normalise each position's C features to mean 0 and variance 1, then scale and shift.
 *   y = (x − μ) / √(σ² + ε) · γ + β, with the biased variance, as PyTorch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops } from '../ops';

/** Normalise x (…, C) over its last axis, then γ (C), β (C) → (…, C). */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor, eps = 1e-5): tf.Tensor {
  // A faster version where one is registered (one fused kernel), else the formula below.
  return ops.layerNorm(x, weight, bias, eps) ?? layerNormReference(x, weight, bias, eps);
}

/**
 * Layer norm composed of TF.js ops, exactly the formula above: the reference `ops.layerNorm` is held to,
 * values and gradients, and what runs wherever the kernel does not.
 */
export function layerNormReference(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // (…, 1)
    let y = x
      .sub(mean)
      .mul(tf.rsqrt(variance.add(eps)))
      .mul(weight);
    if (bias) y = y.add(bias);
    return y; // (…, C)
  });
}
