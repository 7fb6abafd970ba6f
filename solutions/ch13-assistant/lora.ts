import { tf } from '@how-llms-work/lib';

/**
 * A LoRA layer: the frozen linear layer plus a scaled low-rank side path,
 *   y = x Wᵀ + b + scale · (x Aᵀ) Bᵀ
 * with x (…, in), weight W (out, in), bias b (out) or undefined, A (r, in), B (out, r) → y (…, out).
 * Compute the side path as two thin products (never form B·A here). Leave no intermediate tensors behind.
 *
 * Example: x [[1, 2]], W [[1, 0], [0, 1]], no bias, A [[1, 1]], B [[1], [0]], scale 2 → [[1 + 2·3, 2]] = [[7, 2]]
 */
export function loraLinear(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor | undefined,
  A: tf.Tensor,
  B: tf.Tensor,
  scale: number,
): tf.Tensor {
  // BEGIN SOLUTION: LoRA: fine-tuning a few percent of the weights
  return tf.tidy(() => {
    const inFeatures = x.shape[x.rank - 1];
    const lead = x.shape.slice(0, -1);
    const flat = x.reshape([-1, inFeatures]); // (N, in)
    let y = tf.matMul(flat, weight, false, true); // (N, out)
    if (bias) y = y.add(bias);
    const side = tf.matMul(tf.matMul(flat, A, false, true), B, false, true).mul(scale); // (N, r) → (N, out)
    return y.add(side).reshape([...lead, weight.shape[0]]);
  });
  // END SOLUTION
}

/**
 * Merge a LoRA adapter into its weight: W' = W + scale · B A, shape (out, in), so that a plain linear layer with W'
 * gives exactly the outputs of loraLinear with W, A, B. Leave no intermediate tensors behind.
 *
 * Example: W [[1, 0], [0, 1]], A [[1, 1]], B [[1], [0]], scale 2 → [[3, 2], [0, 1]]
 */
export function mergeLoRAWeight(weight: tf.Tensor, A: tf.Tensor, B: tf.Tensor, scale: number): tf.Tensor {
  // BEGIN SOLUTION: LoRA: fine-tuning a few percent of the weights
  return tf.tidy(() => weight.add(tf.matMul(B, A).mul(scale)));
  // END SOLUTION
}
