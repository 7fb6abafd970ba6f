import { tf } from '@how-llms-work/lib';

/**
 * Distillation loss of a student against a teacher, for logits (N, V) and integer targets (N):
 *   L = α · τ² · mean over positions of KL(softmax(teacher / τ) ‖ softmax(student / τ)) + (1 − α) · CE(student, targets)
 * where KL(p ‖ q) = Σ_v p_v (log p_v − log q_v) and CE is the ordinary mean cross-entropy at temperature 1.
 * The τ² keeps the soft term's gradient from shrinking like 1/τ² as the temperature rises.
 * Use log-softmax (not log of softmax) so that large logits do not overflow. Returns a scalar; the
 * gradient with respect to the student's logits must flow (use tf ops only).
 *
 * Example: student = teacher, α = 1 → 0 for any τ.
 */
export function distillationLoss(
  student: tf.Tensor,
  teacher: tf.Tensor,
  targets: tf.Tensor,
  temperature: number,
  alpha: number,
): tf.Scalar {
  throw new Error('TODO: implement distillationLoss (see the chapter 10 notebook, section Distillation)');
}
