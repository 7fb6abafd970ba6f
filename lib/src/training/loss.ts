/**
 * Cross-entropy: the loss every language model in the course trains on.
 * For one position, loss = −log p(target) where p = softmax(logits). Averaged over positions.
 * A model that knows nothing spreads probability evenly, so it starts near log(V).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops } from '../ops';

/** Options for `crossEntropy`: positions whose target is `ignoreIndex`, or whose `mask` is 0, do not count. */
export interface CrossEntropyOptions {
  /** A target id that marks padding (commonly −1); such positions are left out of the mean. */
  ignoreIndex?: number;
  /** Weights (same shape as targets), 1 to count a position and 0 to leave it out. */
  mask?: tf.Tensor;
}

/** Numerically stable log-softmax over the last axis: (…, V) → (…, V). Subtracting the max keeps exp() from overflowing. */
export function logSoftmaxStable(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shifted = logits.sub(logits.max(-1, true)); // (…, V), largest entry 0
    return shifted.sub(shifted.exp().sum(-1, true).log()); // (…, V)
  });
}

/**
 * Mean cross-entropy of logits (…, V) against integer targets (…) → scalar.
 * The gradient is written out, (softmax − onehot) / count, rather than left to autodiff through the max.
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor, options: CrossEntropyOptions = {}): tf.Scalar {
  const V = logits.shape[logits.shape.length - 1];
  if (targets.dtype !== 'int32')
    throw new Error(
      `crossEntropy targets must be int32 token ids, got dtype ${targets.dtype}: build them with tf.tensor(ids, shape, 'int32')`,
    );
  const want = logits.shape.slice(0, -1).join(',');
  if (targets.shape.join(',') !== want) {
    throw new Error(
      `crossEntropy targets shape [${targets.shape}] must equal logits shape without the last axis [${want}]`,
    );
  }
  if (options.mask && options.mask.shape.join(',') !== want) {
    throw new Error(`crossEntropy mask shape [${options.mask.shape}] must equal targets shape [${want}]`);
  }
  checkTargets(targets, V, options.ignoreIndex);
  const N = targets.size;
  if (options.ignoreIndex === undefined && !options.mask) {
    // One kernel forward and a product backward where a faster version is registered.
    const fused = tf.tidy(() => ops.crossEntropy(logits.reshape([N, V]), targets.reshape([N])));
    if (fused) return fused;
  }
  // What the gradient needs from the targets is built once here and saved with logp, so the caller may
  // dispose its targets (or make them inside a loss function) before backprop runs.
  const loss = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = logSoftmaxStable(x.reshape([N, V])); // (N, V)
    const { onehot, scale } = targetWeights(targets, V, options); // (N, V), (N, 1)
    save([logp, onehot, scale]);
    const value = tf.tidy(() => logp.mul(onehot).mul(scale).sum().neg() as tf.Scalar); // ()
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [savedLogp, savedOnehot, savedScale] = saved;
          return savedLogp.exp().sub(savedOnehot).mul(savedScale).mul(dy).reshape(x.shape); // (…, V) softmax − onehot
        }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return loss(logits) as tf.Scalar;
}

/**
 * Every target is a token id in [0, V) or the ignoreIndex, on every path (one kernel or the composed ops, with or
 * without a mask): else an error naming the first bad id, its position and the vocabulary size. Without this check
 * the composed ops would score an out-of-range target as zero loss (its one-hot row is all zeros) without a word.
 */
function checkTargets(targets: tf.Tensor, V: number, ignoreIndex: number | undefined): void {
  const ids = targets.dataSync();
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if ((id >= 0 && id < V) || id === ignoreIndex) continue;
    const ignore = ignoreIndex === undefined ? '' : ` nor the ignoreIndex ${ignoreIndex}`;
    throw new Error(
      `crossEntropy: target ${id} at position ${n} is not a token id in [0, ${V - 1}] (vocabulary size ${V})${ignore}; check targets against the vocabulary`,
    );
  }
}

/** One-hot targets (N, V) and per-position weights (N, 1) that sum to 1 over the positions that count. */
function targetWeights(
  targets: tf.Tensor,
  V: number,
  options: CrossEntropyOptions,
): { onehot: tf.Tensor; scale: tf.Tensor } {
  return tf.tidy(() => targetWeightsUntidied(targets, V, options));
}

function targetWeightsUntidied(
  targets: tf.Tensor,
  V: number,
  options: CrossEntropyOptions,
): { onehot: tf.Tensor; scale: tf.Tensor } {
  const N = targets.size;
  const flat = targets.reshape([N]); // (N)
  let weight: tf.Tensor = tf.ones([N]); // (N)
  let safe = flat;
  if (options.ignoreIndex !== undefined) {
    const keep = flat.notEqual(tf.scalar(options.ignoreIndex, 'int32')); // (N) bool
    weight = weight.mul(keep.toFloat());
    safe = tf.where(keep, flat, tf.zerosLike(flat)); // any valid id: its weight is 0
  }
  if (options.mask) weight = weight.mul(options.mask.reshape([N]).toFloat());
  const count = weight.sum().maximum(1); // () no 0/0 when nothing counts
  return { onehot: tf.oneHot(safe, V).toFloat(), scale: weight.div(count).reshape([N, 1]) };
}

/** Perplexity from a mean cross-entropy in nats: exp(loss), the effective number of equally likely choices. */
export function perplexity(loss: number): number {
  if (!Number.isFinite(loss) || loss < 0)
    throw new Error(`perplexity needs a finite, non-negative loss in nats, got ${loss}`);
  return Math.exp(loss);
}
