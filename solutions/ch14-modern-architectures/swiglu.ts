import { tf } from '@how-llms-work/lib';

/**
 * The SwiGLU feed-forward network of Llama on rows x (…, C), weights in PyTorch's layout (out, in), no biases:
 *   FFN(x) = W_down (SiLU(W_gate x) ⊙ W_up x),  SiLU(z) = z · σ(z) = z / (1 + e^(−z)),
 * with wGate, wUp (Hd, C) and wDown (C, Hd) → (…, C). Leak no intermediates.
 *
 * Example: C = 1, Hd = 1, x = [[2]], wGate = [[1]], wUp = [[3]], wDown = [[0.5]]
 *   → SiLU(2) = 2σ(2) = 1.7616; times 3·2 = 10.5696; times 0.5 → [[5.2848]].
 */
export function swigluFFN(x: tf.Tensor, wGate: tf.Tensor, wUp: tf.Tensor, wDown: tf.Tensor): tf.Tensor {
  // BEGIN SOLUTION: SwiGLU
  return tf.tidy(() => {
    const C = x.shape[x.rank - 1];
    const rows = x.reshape([-1, C]); // (N, C)
    const gate = tf.matMul(rows, wGate, false, true); // (N, Hd)
    const up = tf.matMul(rows, wUp, false, true); // (N, Hd)
    const hidden = gate.mul(tf.sigmoid(gate)).mul(up);
    return tf.matMul(hidden, wDown, false, true).reshape(x.shape); // (…, C)
  });
  // END SOLUTION
}
