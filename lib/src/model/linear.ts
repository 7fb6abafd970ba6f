/**
 * A linear layer in PyTorch's layout: y = x Wᵀ + b with W (out, in), so a PyTorch state_dict loads unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { speedPatchesEnabled } from '@how-llms-work/accel';

/** x (…, in) · weight (out, in)ᵀ + bias (out) → (…, out). */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inFeatures = x.shape[x.rank - 1];
    if (weight.shape[1] !== inFeatures) {
      throw new Error(`linear: input width ${inFeatures} does not match weight shape [${weight.shape}] (out, in): check the model width`);
    }
    const lead = x.shape.slice(0, -1);
    const flat = x.reshape([-1, inFeatures]); // (N, in)
    let y: tf.Tensor;
    if (speedPatchesEnabled()) {
      // The patched products take Wᵀ as a flag: free in OpenBLAS, a cached transpose on wasm.
      y = tf.matMul(flat, weight, false, true); // (N, out)
      if (bias) y = y.add(bias);
    } else {
      // Stock TF.js's wasm product runs a transposed operand through a naive loop (~5x slower): transpose explicitly.
      y = tf.matMul(flat, weight.transpose()); // (N, out)
      if (bias) y = y.add(bias);
    }
    return y.reshape([...lead, weight.shape[0]]); // (…, out)
  });
}
