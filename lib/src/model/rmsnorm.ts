/**
 * RMSNorm (Zhang & Sennrich 2019, "Root Mean Square Layer Normalization"), the norm of Llama and most models since:
 *   y = x / √(mean(x²) + ε) · γ
 * Layer norm without the mean subtraction and without the bias β: rescaling alone keeps activations in range,
 * and it saves one reduction per position. Its gain γ is stored as `<prefix>.weight`, like a layer norm's.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Normalise x (…, C) by the root mean square of its last axis, then scale by γ (C) → (…, C). */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const meanSquare = x.square().mean(-1, true); // (…, 1)
    return x.mul(tf.rsqrt(meanSquare.add(eps))).mul(weight); // (…, C)
  });
}
