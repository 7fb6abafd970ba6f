/**
 * A linear layer in PyTorch's layout: y = x Wᵀ + b with W (out, in), so a PyTorch state_dict loads unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';

/** x (…, in) · weight (out, in)ᵀ + bias (out) → (…, out). */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inFeatures = x.shape[x.rank - 1];
    if (weight.shape[1] !== inFeatures) {
      throw new Error(`linear: input width ${inFeatures} does not match weight shape [${weight.shape}] (out, in): check the model width`);
    }
    const lead = x.shape.slice(0, -1);
    const flat = x.reshape([-1, inFeatures]); // (N, in)
    // An explicit transpose, not matMul's transposeB: on wasm the flag takes a path measured ~5x slower for these sizes.
    let y = tf.matMul(flat, weight.transpose()); // (N, out)
    if (bias) y = y.add(bias);
    return y.reshape([...lead, weight.shape[0]]); // (…, out)
  });
}
