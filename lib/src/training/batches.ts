/**
 * Language-model batches: random windows of a token stream, with targets shifted one to the left.
 * Position t of x predicts position t of y, which is token t + 1 of the window: T predictions per window.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';

/** A batch of inputs x (B, T) and next-token targets y (B, T), both int32. */
export interface LMBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** The three contiguous parts of a token stream. */
export interface TokenSplits {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

/** Split ids (N) into contiguous train / val / test parts (the last `val + test` fraction held out, never shuffled). */
export function splitTokenIds(ids: ArrayLike<number>, fractions: { val?: number; test?: number } = {}): TokenSplits {
  const val = fractions.val ?? 0.1;
  const test = fractions.test ?? 0;
  for (const [name, f] of [
    ['val', val],
    ['test', test],
  ] as const) {
    if (!(f >= 0 && f < 1)) throw new Error(`${name} fraction must be in [0, 1), got ${f}`);
  }
  if (val + test >= 1) throw new Error(`val + test fractions must leave some training data, got ${val} + ${test}`);
  // Contiguous, not shuffled: neighbouring windows overlap, so shuffling would leak training text into validation.
  const all = Int32Array.from(ids as ArrayLike<number>);
  const nTrain = Math.floor(all.length * (1 - val - test));
  const nVal = Math.floor(all.length * val);
  return {
    train: all.subarray(0, nTrain),
    val: all.subarray(nTrain, nTrain + nVal),
    test: all.subarray(nTrain + nVal),
  };
}

/** Windows at the given starts: x[b] = ids[s .. s+T), y[b] = ids[s+1 .. s+T+1) as plain arrays (B, T). */
export function shiftedWindows(
  ids: ArrayLike<number>,
  starts: number[],
  blockSize: number,
): { x: Int32Array; y: Int32Array } {
  const T = blockSize;
  const x = new Int32Array(starts.length * T); // (B·T)
  const y = new Int32Array(starts.length * T); // (B·T)
  starts.forEach((s, b) => {
    if (!Number.isInteger(s) || s < 0 || s + T + 1 > ids.length) {
      throw new Error(
        `window start ${s} needs ${T + 1} tokens but the stream has ${ids.length}: use a start in [0, ${ids.length - T - 1}]`,
      );
    }
    for (let t = 0; t < T; t++) {
      x[b * T + t] = ids[s + t];
      y[b * T + t] = ids[s + t + 1];
    }
  });
  return { x, y };
}

/** A random batch of B windows of length T from ids (N), starts drawn from `rng`: x, y (B, T) int32. */
export function sampleLMBatch(ids: ArrayLike<number>, batchSize: number, blockSize: number, rng: Rng): LMBatch {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw new Error(`block size must be a positive integer, got ${blockSize}`);
  const room = ids.length - blockSize; // number of valid starts
  if (room < 1)
    throw new Error(
      `a block of ${blockSize} needs at least ${blockSize + 1} tokens, the stream has ${ids.length}: use a shorter block or more data`,
    );
  const starts = Array.from({ length: batchSize }, () => rng.int(room));
  const { x, y } = shiftedWindows(ids, starts, blockSize);
  return { x: tf.tensor2d(x, [batchSize, blockSize], 'int32'), y: tf.tensor2d(y, [batchSize, blockSize], 'int32') };
}
