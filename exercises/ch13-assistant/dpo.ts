import { tf } from '@how-llms-work/lib';

/**
 * The DPO loss. For B preference pairs you get the summed log-probabilities of the chosen and the rejected reply
 * under the policy and under the frozen reference (four tensors of shape (B)). The implicit rewards are
 *   r_w = β (policyChosen − refChosen),   r_l = β (policyRejected − refRejected),
 * and the loss is the mean over pairs of −log σ(r_w − r_l). Return that scalar; it must stay finite for margins of
 * ±1000 (−log σ(m) = log(1 + e^(−m)): use a stable form) and autodiff must give its gradient.
 * Throws an Error when beta is not a positive number.
 *
 * Example: policyChosen [−1], policyRejected [−3], refChosen [−2], refRejected [−2], β 1 → margin 2, loss log(1 + e^−2) ≈ 0.1269
 */
export function dpoLoss(
  policyChosen: tf.Tensor1D,
  policyRejected: tf.Tensor1D,
  refChosen: tf.Tensor1D,
  refRejected: tf.Tensor1D,
  beta: number,
): tf.Scalar {
  throw new Error('TODO: implement dpoLoss (see the chapter 13 notebook, section Preference tuning with DPO)');
}
