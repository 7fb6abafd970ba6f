/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural Network"):
 * a small student learns from a trained teacher's whole next-token distribution, not only the one
 * correct token. Both distributions are softened by a temperature τ, softmax(z / τ), which shows how the
 * teacher ranks the wrong answers. The soft term's gradient scales as 1/τ², so it is multiplied by τ²
 * to keep its weight against the hard-label term the same whatever the temperature:
 *   L = α · τ² · KL(p_teacher^τ ‖ p_student^τ) + (1 − α) · CE(student, targets).
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, logSoftmaxStable } from '../training/loss';

/** Distillation settings: temperature τ > 0 and the weight α ∈ [0, 1] of the soft term. */
export interface DistillOptions {
  temperature: number;
  alpha: number;
}

/** The teacher's softened distribution softmax(logits / τ): (…, V) → (…, V). */
export function softTargets(teacherLogits: tf.Tensor, temperature: number): tf.Tensor {
  if (!(temperature > 0)) throw new Error(`temperature must be positive, got ${temperature}`);
  return tf.tidy(() => logSoftmaxStable(teacherLogits.div(temperature)).exp());
}

/** Mean over positions of τ² · KL(softmax(t/τ) ‖ softmax(s/τ)) for logits (…, V) → scalar; the teacher's logits are constants (compute them outside the gradient). */
export function softDistillationLoss(
  studentLogits: tf.Tensor,
  teacherLogits: tf.Tensor,
  temperature: number,
): tf.Scalar {
  if (!(temperature > 0)) throw new Error(`temperature must be positive, got ${temperature}`);
  if (studentLogits.shape.join(',') !== teacherLogits.shape.join(',')) {
    throw new Error(
      `student logits [${studentLogits.shape}] and teacher logits [${teacherLogits.shape}] must have the same shape (same vocabulary and positions)`,
    );
  }
  return tf.tidy(() => {
    const V = studentLogits.shape[studentLogits.rank - 1];
    const N = studentLogits.size / V;
    const logPt = logSoftmaxStable(teacherLogits.div(temperature)); // (…, V) a constant: differentiate w.r.t. the student only
    const logPs = logSoftmaxStable(studentLogits.div(temperature)); // (…, V)
    const kl = logPt.exp().mul(logPt.sub(logPs)).sum(); // Σ over positions and vocabulary
    return kl.mul((temperature * temperature) / N) as tf.Scalar;
  });
}

/** Distillation loss of student logits (…, V) against teacher logits (…, V) and integer targets (…) → scalar. */
export function distillationLoss(
  studentLogits: tf.Tensor,
  teacherLogits: tf.Tensor,
  targets: tf.Tensor,
  o: DistillOptions,
): tf.Scalar {
  if (!(o.alpha >= 0 && o.alpha <= 1)) throw new Error(`alpha must be in [0, 1], got ${o.alpha}`);
  return tf.tidy(() => {
    const soft = softDistillationLoss(studentLogits, teacherLogits, o.temperature);
    if (o.alpha === 1) return soft;
    return soft.mul(o.alpha).add(crossEntropy(studentLogits, targets).mul(1 - o.alpha)) as tf.Scalar;
  });
}
