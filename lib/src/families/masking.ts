/**
 * Masked language modelling (BERT, Devlin et al. 2019): hide some tokens and train the model to recover them from
 * both sides. The rule: choose each position with probability 15 %; of the chosen, 80 % become [MASK], 10 % a
 * random token, 10 % stay as they are. The loss counts only the chosen positions (target −1 elsewhere).
 * The random and unchanged 10 %s exist because [MASK] never appears when the model is used: the model must also
 * produce a good representation for a token it can see, and cannot trust that a visible token is right.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';

/** The masking rule's numbers; the defaults are BERT's. */
export interface MaskingOptions {
  /** The id of [MASK] (outside [0, vocabSize) in the course's models: the last row of the embedding). */
  maskId: number;
  /** Random replacements are drawn uniformly from the ordinary tokens [0, vocabSize). */
  vocabSize: number;
  /** Probability that a position is chosen for prediction (default 0.15). */
  rate?: number;
  /** Of the chosen: fraction replaced by [MASK] (default 0.8) and by a random token (default 0.1); the rest stay. */
  maskFraction?: number;
  randomFraction?: number;
}

/** What masking returns for ids (N): the model's input (N) and the targets (N), −1 where a position was not chosen. */
export interface MaskedTokens {
  inputs: Int32Array;
  targets: Int32Array;
}

/** The ignore id of targets that do not count (crossEntropy's ignoreIndex). */
export const NOT_CHOSEN = -1;

function checkMasking(o: MaskingOptions): Required<MaskingOptions> {
  const rate = o.rate ?? 0.15;
  const maskFraction = o.maskFraction ?? 0.8;
  const randomFraction = o.randomFraction ?? 0.1;
  if (!(rate >= 0 && rate <= 1)) throw new Error(`masking rate must be in [0, 1], got ${rate}`);
  if (!(maskFraction >= 0 && randomFraction >= 0 && maskFraction + randomFraction <= 1))
    throw new Error(
      `maskFraction (${maskFraction}) and randomFraction (${randomFraction}) must be >= 0 and sum to at most 1`,
    );
  if (!Number.isInteger(o.vocabSize) || o.vocabSize < 1)
    throw new Error(`vocabSize must be a positive integer, got ${o.vocabSize}`);
  if (!Number.isInteger(o.maskId) || o.maskId < 0)
    throw new Error(`maskId must be a non-negative integer token id, got ${o.maskId}`);
  return { ...o, rate, maskFraction, randomFraction };
}

/** BERT's masking rule on ids (N) → inputs (N) and targets (N) (−1 where not chosen); seeded by `rng`. */
export function maskTokens(ids: ArrayLike<number>, options: MaskingOptions, rng: Rng): MaskedTokens {
  const o = checkMasking(options);
  const inputs = Int32Array.from(ids as ArrayLike<number>);
  const targets = new Int32Array(inputs.length).fill(NOT_CHOSEN);
  for (let i = 0; i < inputs.length; i++) {
    if (rng.next() >= o.rate) continue; // not chosen: no loss here, input unchanged
    targets[i] = inputs[i];
    const u = rng.next();
    if (u < o.maskFraction) inputs[i] = o.maskId;
    else if (u < o.maskFraction + o.randomFraction) inputs[i] = rng.int(o.vocabSize);
    // else: the token stays, and is still predicted
  }
  return { inputs, targets };
}

/** A masked-LM batch: inputs (B, T) int32 and targets (B, T) int32, −1 where the loss does not look. */
export interface MLMBatch {
  inputs: tf.Tensor2D;
  targets: tf.Tensor2D;
}

/** `batchSize` random windows of `blockSize` ids from `ids`, masked by BERT's rule → inputs, targets (B, T). */
export function sampleMLMBatch(
  ids: ArrayLike<number>,
  batchSize: number,
  blockSize: number,
  masking: MaskingOptions,
  rng: Rng,
): MLMBatch {
  if (ids.length < blockSize)
    throw new Error(`need at least blockSize (${blockSize}) ids to cut a window, got ${ids.length}`);
  const inputs = new Int32Array(batchSize * blockSize);
  const targets = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = rng.int(ids.length - blockSize + 1);
    const window = Array.prototype.slice.call(ids, start, start + blockSize) as number[];
    const m = maskTokens(window, masking, rng);
    inputs.set(m.inputs, b * blockSize);
    targets.set(m.targets, b * blockSize);
  }
  return {
    inputs: tf.tensor2d(inputs, [batchSize, blockSize], 'int32'),
    targets: tf.tensor2d(targets, [batchSize, blockSize], 'int32'),
  };
}
