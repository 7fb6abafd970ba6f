/**
 * DP-SGD without B backward passes: when the model's structure is known, every example's gradient
 * comes out of one batched computation (what Opacus does with hooks for each layer type). For a
 * bigram table W (V, V) with loss −log softmax(W[x])[y], example i touches only row x_i, and its
 * gradient there is softmax(W[x_i]) − onehot(y_i).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { clipRows } from './clipping';

/** Each example's gradient row for a bigram table (V, V), inputs x (B) and targets y (B) → (B, V). */
export function bigramPerExampleGrads(table: tf.Tensor, x: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const V = table.shape[table.rank - 1] as number;
    const probs = tf.softmax(tf.gather(table, x)); // (B, V)
    return tf.sub(probs, tf.oneHot(y, V).toFloat()) as tf.Tensor2D; // (B, V)
  });
}

/** The DP-SGD gradient (V, V) of a bigram table: clip each example's row to clipNorm, sum into rows x_i, add N(0, σ²C²), divide by B. */
export function dpBigramGradient(
  table: tf.Tensor,
  x: tf.Tensor1D,
  y: tf.Tensor1D,
  options: { clipNorm: number; noiseMultiplier: number; rng: Rng },
): tf.Tensor2D {
  return tf.tidy(() => {
    const V = table.shape[0] as number;
    const B = x.shape[0];
    const rows = clipRows(bigramPerExampleGrads(table, x, y), options.clipNorm); // (B, V)
    const summed = tf.matMul(tf.oneHot(x, V).toFloat(), rows, true, false); // (V, B)·(B, V) → (V, V)
    const std = options.noiseMultiplier * options.clipNorm;
    const noisy = std > 0 ? tf.add(summed, tf.randomNormal(summed.shape, 0, std, 'float32', options.rng.seed())) : summed;
    return tf.div(noisy, B) as tf.Tensor2D; // (V, V)
  });
}
