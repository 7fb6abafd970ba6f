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
  throw new Error('TODO: implement loraLinear (see the chapter 13 notebook, section LoRA: fine-tuning a few percent of the weights)');
}

/**
 * Merge a LoRA adapter into its weight: W' = W + scale · B A, shape (out, in), so that a plain linear layer with W'
 * gives exactly the outputs of loraLinear with W, A, B. Leave no intermediate tensors behind.
 *
 * Example: W [[1, 0], [0, 1]], A [[1, 1]], B [[1], [0]], scale 2 → [[3, 2], [0, 1]]
 */
export function mergeLoRAWeight(weight: tf.Tensor, A: tf.Tensor, B: tf.Tensor, scale: number): tf.Tensor {
  throw new Error('TODO: implement mergeLoRAWeight (see the chapter 13 notebook, section LoRA: fine-tuning a few percent of the weights)');
}
