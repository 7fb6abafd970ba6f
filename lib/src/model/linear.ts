/**
 * A linear layer in PyTorch's layout: y = x Wᵀ + b with W (out, in), so a PyTorch state_dict loads unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops } from '../ops';

/** x (…, in) · weight (out, in)ᵀ + bias (out) → (…, out). */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inFeatures = x.shape[x.rank - 1];
    if (weight.shape[1] !== inFeatures) {
      throw new Error(
        `linear: input width ${inFeatures} does not match weight shape [${weight.shape}] (out, in): check the model width`,
      );
    }
    const lead = x.shape.slice(0, -1);
    const flat = x.reshape([-1, inFeatures]); // (N, in)
    // A faster product where one is registered (Wᵀ as a flag, no copy of the weight), else the formula.
    const y = ops.linear(flat, weight, bias) ?? linearReference(flat, weight, bias); // (N, out)
    return y.reshape([...lead, weight.shape[0]]); // (…, out)
  });
}

/** x (N, in) · weight (out, in)ᵀ + bias (out) → (N, out), the transpose made explicit: the reference `ops.linear` is held to. */
export function linearReference(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const y = tf.matMul(x, weight.transpose()); // (N, out)
    return bias ? y.add(bias) : y;
  });
}
