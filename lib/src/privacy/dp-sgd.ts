/**
 * DP-SGD (Abadi et al., "Deep Learning with Differential Privacy", CCS 2016,
 * <https://arxiv.org/abs/1607.00133>): compute each example's gradient on its own, clip it to
 * norm C, sum, add Gaussian noise N(0, σ²C²) to the sum, divide by the batch size. The
 * accountant (rdp-accountant.ts) turns (q, σ, steps) into the ε this costs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { NamedTensors, Params } from '../model/params';
import { clipByGlobalNorm } from '../training/clip';
import { lossAndGrads } from '../training/gradients';

/** DP-SGD's two knobs. */
export interface DpSgdOptions {
  /** Per-example clipping norm C. */
  clipNorm: number;
  /** Noise standard deviation divided by C (σ); 0 gives clipped, noiseless SGD. */
  noiseMultiplier: number;
  rng: Rng;
  /** What the noisy sum is divided by: default the batch size; with Poisson sampling, the expected batch size q·N. */
  denominator?: number;
}

/** What one private gradient step saw. */
export interface DpSgdGradient {
  /** Noisy mean of the clipped per-example gradients, one tensor per trainable parameter. */
  grads: NamedTensors;
  /** Each example's gradient norm before clipping (B). */
  norms: number[];
  /** Fraction of examples whose gradient was clipped. */
  clippedFraction: number;
}

/**
 * The private gradient for a batch of `batchSize` examples; exampleLoss(i) returns example i's scalar loss
 * computed from `params` (the names in `trainable`, default all). Make example i's input tensors before
 * the call (e.g. tf.split the batch): crossEntropy reads its targets again during backprop.
 */
export function dpSgdGradient(
  params: Params,
  batchSize: number,
  exampleLoss: (i: number) => tf.Scalar,
  options: DpSgdOptions,
  trainable: string[] = Object.keys(params),
): DpSgdGradient {
  if (!(batchSize >= 1)) throw new Error(`batch size must be ≥ 1, got ${batchSize}`);
  const denominator = options.denominator ?? batchSize;
  if (!(denominator > 0)) throw new Error(`the gradient's denominator must be > 0, got ${denominator}`);
  if (!(options.noiseMultiplier >= 0)) throw new Error(`noise multiplier must be ≥ 0, got ${options.noiseMultiplier}`);
  const unknown = trainable.find((name) => !(name in params));
  if (unknown !== undefined) throw new Error(`no parameter named "${unknown}"; trainable names must be keys of params`);
  let sum: NamedTensors = Object.fromEntries(trainable.map((name) => [name, tf.zerosLike(params[name])]));
  const normTensors: tf.Scalar[] = [];
  for (let i = 0; i < batchSize; i++) {
    // One example at a time: the per-example gradient is what gets clipped.
    const { loss, grads } = lossAndGrads(() => exampleLoss(i), params, trainable);
    loss.dispose();
    const { grads: clipped, norm } = clipByGlobalNorm(grads, options.clipNorm);
    normTensors.push(norm);
    const next: NamedTensors = {};
    for (const name of trainable) next[name] = tf.add(sum[name], clipped[name]);
    for (const t of [...Object.values(sum), ...Object.values(clipped), ...Object.values(grads)]) t.dispose();
    sum = next;
  }
  // Norms are read back once per batch, not once per example.
  const stacked = tf.stack(normTensors);
  const norms = Array.from(stacked.dataSync());
  stacked.dispose();
  normTensors.forEach((t) => t.dispose());
  const grads: NamedTensors = {};
  const std = options.noiseMultiplier * options.clipNorm;
  for (const name of trainable) {
    grads[name] = tf.tidy(() => {
      const noise =
        std > 0 ? tf.randomNormal(sum[name].shape, 0, std, 'float32', options.rng.seed()) : tf.zerosLike(sum[name]);
      return tf.div(tf.add(sum[name], noise), denominator);
    });
    sum[name].dispose();
  }
  const clippedFraction = norms.filter((n) => n > options.clipNorm).length / batchSize;
  return { grads, norms, clippedFraction };
}

/** Plain SGD update p ← p − lr·g for each named gradient (the optimizer DP-SGD's analysis assumes). */
export function sgdApply(params: Params, grads: NamedTensors, learningRate: number): void {
  for (const [name, g] of Object.entries(grads)) {
    const p = params[name];
    tf.tidy(() => p.assign(tf.sub(p, tf.mul(g, learningRate))));
  }
}
