import { tf } from '@how-llms-work/lib';

/**
 * One step of Elman's recurrent cell, with weights in PyTorch's layout (out, in):
 *   h' = tanh(x Wᵢₕᵀ + h Wₕₕᵀ + b)
 * x (B, C) is this step's input, h (B, C) the previous hidden state, wIh (C, C), wHh (C, C), b (C) → h' (B, C).
 * Leave no intermediate tensors behind (tf.tidy).
 *
 * Example: x = [[1, 0]], h = [[0, 1]], wIh = identity, wHh = [[0, 1], [1, 0]] (swap), b = [0, 0]
 *          → tanh([[1, 0] + [1, 0]]) = [[tanh 2, 0]] ≈ [[0.964, 0]].
 */
export function rnnStep(
  x: tf.Tensor2D,
  h: tf.Tensor2D,
  wIh: tf.Tensor2D,
  wHh: tf.Tensor2D,
  b: tf.Tensor1D,
): tf.Tensor2D {
  // BEGIN SOLUTION: Recurrence: the RNN cell
  return tf.tidy(
    () =>
      tf.tanh(
        tf
          .matMul(x, wIh, false, true)
          .add(tf.matMul(h, wHh, false, true))
          .add(b),
      ) as tf.Tensor2D,
  ); // (B, C)
  // END SOLUTION
}
