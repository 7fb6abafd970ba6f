/**
 * The chapter's closing table: for each compressed variant of a model, its size, its speed and its
 * quality, measured the same way on the same held-out batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { gptForward, type GPTConfig } from '../model/gpt';
import type { NamedTensors, Params } from '../model/params';
import { shiftedWindows } from '../training/batches';
import { crossEntropy } from '../training/loss';

/** One row of the comparison. */
export interface VariantReport {
  variant: string;
  /** Bytes to store the model in this variant's format. */
  bytes: number;
  /** Size relative to the fp32 original. */
  compression: number;
  /** Nonzero parameters. */
  nonzero: number;
  /** Mean next-token cross-entropy on the held-out batches (nats). */
  valLoss: number;
  /** Forward-pass time per batch (ms), from the fastest of several passes. */
  msPerBatch: number;
}

/** Fixed held-out batches: the same windows for every variant, x and y (B, T) int32, chosen by `seed`. */
export function fixedEvalBatches(
  ids: ArrayLike<number>,
  o: { batches: number; batchSize: number; blockSize: number; seed?: number },
): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  const rng = new Rng(o.seed ?? 0x5eed);
  const room = ids.length - o.blockSize;
  if (room < 1)
    throw new Error(
      `held-out text of ${ids.length} tokens is too short for windows of ${o.blockSize}: use more text or a smaller blockSize`,
    );
  return Array.from({ length: o.batches }, () => {
    const starts = Array.from({ length: o.batchSize }, () => rng.int(room));
    const { x, y } = shiftedWindows(ids, starts, o.blockSize);
    return {
      x: tf.tensor2d(x, [o.batchSize, o.blockSize], 'int32'),
      y: tf.tensor2d(y, [o.batchSize, o.blockSize], 'int32'),
    };
  });
}

/** Measure one variant on the batches: loss, forward time (best of `repeats` passes, robust to a busy machine), nonzeros; `bytes` is its storage size. */
export function evaluateVariant(
  variant: string,
  params: Params | NamedTensors,
  config: GPTConfig,
  batches: { x: tf.Tensor2D; y: tf.Tensor2D }[],
  o: { bytes: number; referenceBytes: number; repeats?: number },
): VariantReport {
  if (batches.length === 0) throw new Error('evaluateVariant needs at least one batch');
  // The loss pass also warms up: the first calls compile kernels.
  const total = tf.tidy(() => {
    const losses = batches.map((b) => crossEntropy(gptForward(params as Params, config, b.x), b.y));
    return tf.addN(losses).div(batches.length);
  });
  const valLoss = total.dataSync()[0];
  total.dispose();
  let best = Infinity;
  for (let r = 0; r < (o.repeats ?? 3); r++) {
    const start = performance.now();
    for (const b of batches) tf.tidy(() => gptForward(params as Params, config, b.x).dataSync());
    best = Math.min(best, performance.now() - start);
  }
  let nonzero = 0;
  for (const p of Object.values(params)) {
    const v = p.dataSync();
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) nonzero++;
  }
  return {
    variant,
    bytes: o.bytes,
    compression: o.referenceBytes / o.bytes,
    nonzero,
    valLoss,
    msPerBatch: best / batches.length,
  };
}
