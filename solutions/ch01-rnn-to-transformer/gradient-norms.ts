import { tf } from '@how-llms-work/lib';

/**
 * How much a scalar function of a sequence depends on each position: for inputs x (T, C) and a function
 * f: (T, C) → scalar, return the T numbers ‖∂f/∂x_t‖ (the Euclidean norm of row t of the gradient).
 * Use tf.grad; read the numbers back once; leave no tensors behind.
 *
 * Example: f(x) = sum of the squares of the last row, x = [[1, 1], [3, 4]] → [0, 10]
 *          (∂f/∂x is 0 on row 0 and 2·[3, 4] = [6, 8] on row 1, whose norm is 10).
 */
export function gradientNormsByPosition(f: (x: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D): number[] {
  // BEGIN SOLUTION: Vanishing gradients
  const norms = tf.tidy(() => {
    const g = tf.grad((t: tf.Tensor) => f(t as tf.Tensor2D))(x); // (T, C)
    return tf.sqrt(g.square().sum(1)); // (T)
  });
  const out = Array.from(norms.dataSync());
  norms.dispose();
  return out;
  // END SOLUTION
}
