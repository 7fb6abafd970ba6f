/**
 * Mean cross-entropy and its gradient in one kernel, for logits (N, V) and target ids (N):
 *   loss = −(1/N) Σₙ log softmax(xₙ)[tₙ],   ∂loss/∂xₙ = (softmax(xₙ) − onehot(tₙ)) / N
 * The composed version in training/loss.ts (about 25 kernels with its gradient) is the reference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, registerFusedKernel, runFused } from '../fused';

registerFusedKernel({
  name: 'HowLlmsCrossEntropy',
  inputs: ['logits', 'targets'],
  // The mean loss (), and the gradient (N, V) that backprop will scale by the loss's upstream gradient.
  outputShapes: ([logits]) => [[], logits],
  native: 'crossEntropy',
  nativeArgs: ([[N, V]]) => [N, V],
  compute: ([x, t], [loss, grad], [[N, V]]) => {
    let total = 0;
    for (let n = 0; n < N; n++) {
      const row = n * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) if (x[row + v] > max) max = x[row + v];
      let sum = 0;
      for (let v = 0; v < V; v++) {
        const e = Math.exp(x[row + v] - max); // ≤ 1: no overflow
        grad[row + v] = e;
        sum += e;
      }
      const target = t[n];
      if (!(target >= 0 && target < V) || target !== Math.floor(target)) {
        throw new Error(
          `cross-entropy: target ${target} at position ${n} is not a token id in [0, ${V - 1}]; check targets against the vocabulary`,
        );
      }
      total += Math.log(sum) - (x[row + target] - max); // −log softmax(x)[target]
      for (let v = 0; v < V; v++) grad[row + v] /= sum * N;
      grad[row + target] -= 1 / N;
    }
    loss[0] = total / N;
  },
});

/**
 * Mean cross-entropy of logits (N, V) against int32 targets (N) → scalar, with its gradient written out;
 * undefined where no fused kernel runs (use the reference then).
 */
export function fusedCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar | undefined {
  if (!fusedAvailable('HowLlmsCrossEntropy', [logits])) return undefined;
  const ids = tf.tidy(() => targets.toFloat()); // exact for ids below 2²⁴
  const loss = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const [value, grad] = runFused('HowLlmsCrossEntropy', { logits: x, targets: ids });
    save([grad]);
    return { value, gradFunc: (dy: tf.Tensor, [g]: tf.Tensor[]) => tf.tidy(() => g.mul(dy)) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const out = loss(logits) as tf.Scalar;
  ids.dispose();
  return out;
}
