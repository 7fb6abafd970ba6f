/**
 * Vanishing gradients, measured: how strongly does the loss at the last step depend on the input
 * at each earlier position? For a tanh RNN the answer shrinks roughly geometrically with distance,
 * because backpropagation multiplies by Wₕₕᵀ·diag(1 - h²) once per step; the LSTM's additive cell
 * path lets it decay far more slowly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../model/params';
import { crossEntropy } from '../training/loss';
import { embedTokens, recurrentForwardFromInputs } from './forward';
import type { RecurrentConfig } from './params';

/** Cross-entropy of the last position only: logits (B, T, V), targets (B) int32 → scalar (mean over B). */
export function lastStepLoss(logits: tf.Tensor3D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    const last = logits.slice([0, T - 1, 0], [B, 1, V]).reshape([B, V]); // (B, V)
    return crossEntropy(last, targets);
  });
}

/**
 * ‖∂L_T/∂x_t‖ for every position t: ids (B, T) int32, targets (B) int32 → T norms (mean over the batch).
 * Entry t is the input at distance T-1-t from the step whose loss is differentiated.
 */
export function inputGradientNorms(
  params: Params,
  config: RecurrentConfig,
  ids: tf.Tensor2D,
  targets: tf.Tensor1D,
): number[] {
  const norms = tf.tidy(() => {
    const inputs = embedTokens(params, ids); // (B, T, C)
    const lossOf = (x: tf.Tensor) =>
      lastStepLoss(recurrentForwardFromInputs(params, config, x as tf.Tensor3D), targets);
    const grad = tf.grad(lossOf)(inputs); // (B, T, C)
    return tf.sqrt(grad.square().sum(2)).mean(0); // (T)
  });
  const values = Array.from(norms.dataSync());
  norms.dispose();
  return values;
}
