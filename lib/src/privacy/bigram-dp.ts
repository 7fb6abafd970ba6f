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

/**
 * The DP-SGD gradient (V, V) of a bigram table: clip each example's row to clipNorm, sum into rows x_i, add N(0, σ²C²),
 * divide by `denominator` (default B; with Poisson sampling pass the expected batch size q·N, as the accountant
 * assumes). An empty batch gives the noise alone.
 */
export function dpBigramGradient(
  table: tf.Tensor,
  x: tf.Tensor1D,
  y: tf.Tensor1D,
  options: { clipNorm: number; noiseMultiplier: number; rng: Rng; denominator?: number },
): tf.Tensor2D {
  const B = x.shape[0];
  const denominator = options.denominator ?? B;
  if (!(denominator > 0))
    throw new Error(
      `the gradient's denominator must be > 0 (pass the expected batch size for an empty batch), got ${denominator}`,
    );
  return tf.tidy(() => {
    const V = table.shape[0] as number;
    const summed =
      B === 0
        ? tf.zeros([V, V])
        : tf.matMul(
            tf.oneHot(x, V).toFloat(),
            clipRows(bigramPerExampleGrads(table, x, y), options.clipNorm),
            true,
            false,
          ); // (V, B)·(B, V) → (V, V)
    const std = options.noiseMultiplier * options.clipNorm;
    const noisy =
      std > 0 ? tf.add(summed, tf.randomNormal(summed.shape, 0, std, 'float32', options.rng.seed())) : summed;
    return tf.div(noisy, denominator) as tf.Tensor2D; // (V, V)
  });
}
