/**
 * Direct Preference Optimization (Rafailov et al. 2023). For a prompt with a preferred reply y_w and a worse one y_l,
 * with log-probabilities under the policy π and a frozen reference π_ref (the SFT model):
 *   r(y) = β (log π(y) − log π_ref(y))          the implicit reward
 *   loss = −log σ(r(y_w) − r(y_l))               mean over pairs
 * It raises the preferred reply relative to the rejected one, and β sets how far π may drift from π_ref.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gptForward, type GPTConfig } from '../model/gpt';
import type { Params } from '../model/params';
import { logSoftmaxStable } from '../training/loss';
import { IGNORE_TARGET, type TaskBatch } from '../applications/finetune';

/** Sum of log p(target) over the positions that count: logits (B, T, V), targets (B, T) with −1 to skip → (B). */
export function sequenceLogProb(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor1D {
  const [B, T, V] = logits.shape;
  if (targets.shape[0] !== B || targets.shape[1] !== T)
    throw new Error(`targets shape [${targets.shape}] must be [${B}, ${T}] to match logits [${logits.shape}]`);
  return tf.tidy(() => {
    const keep = targets.notEqual(tf.scalar(IGNORE_TARGET, 'int32')); // (B, T)
    const safe = tf.where(keep, targets, tf.zerosLike(targets)); // any valid id where skipped
    const logp = logSoftmaxStable(logits); // (B, T, V)
    const picked = logp.mul(tf.oneHot(safe, V).toFloat()).sum(-1); // (B, T)
    return picked.mul(keep.toFloat()).sum(-1) as tf.Tensor1D; // (B)
  });
}

/** What the DPO loss returns: the mean loss () and per pair the implicit rewards and their margin (B). */
export interface DPOTerms {
  loss: tf.Scalar;
  chosenRewards: tf.Tensor1D;
  rejectedRewards: tf.Tensor1D;
  margins: tf.Tensor1D;
}

/** DPO loss from sequence log-probs (B each): mean softplus(−β[(πw − refw) − (πl − refl)]), plus rewards and margins. */
export function dpoLoss(
  policyChosen: tf.Tensor1D,
  policyRejected: tf.Tensor1D,
  refChosen: tf.Tensor1D,
  refRejected: tf.Tensor1D,
  beta: number,
): DPOTerms {
  if (!(beta > 0 && Number.isFinite(beta))) throw new Error(`DPO beta must be a positive number, got ${beta}`);
  return tf.tidy(() => {
    const chosenRewards = policyChosen.sub(refChosen).mul(beta) as tf.Tensor1D; // (B)
    const rejectedRewards = policyRejected.sub(refRejected).mul(beta) as tf.Tensor1D; // (B)
    const margins = chosenRewards.sub(rejectedRewards) as tf.Tensor1D; // (B)
    // −log σ(m) = softplus(−m): no overflow for large margins of either sign.
    const loss = tf.softplus(margins.neg()).mean() as tf.Scalar;
    return { loss, chosenRewards, rejectedRewards, margins };
  });
}

/** Sequence log-probs (B) of a batch's targets under a GPT. */
export function gptSequenceLogProb(params: Params, config: GPTConfig, batch: TaskBatch): tf.Tensor1D {
  return tf.tidy(() => sequenceLogProb(gptForward(params, config, batch.x), batch.y));
}

/**
 * Mean per-token KL(π ‖ π_ref) over the positions of a batch whose target counts (B, T with −1 to skip): how far the
 * tuned model's next-token distributions moved from the reference's on the same replies → scalar in nats.
 */
export function responseKL(params: Params, refParams: Params, config: GPTConfig, batch: TaskBatch): number {
  const kl = tf.tidy(() => {
    const logp = logSoftmaxStable(gptForward(params, config, batch.x)); // (B, T, V)
    const logq = logSoftmaxStable(gptForward(refParams, config, batch.x)); // (B, T, V)
    const perPosition = logp.exp().mul(logp.sub(logq)).sum(-1); // (B, T)
    const keep = batch.y.notEqual(tf.scalar(IGNORE_TARGET, 'int32')).toFloat(); // (B, T)
    return perPosition.mul(keep).sum().div(keep.sum().maximum(1));
  });
  const value = kl.dataSync()[0];
  kl.dispose();
  return value;
}
