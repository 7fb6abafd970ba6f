/**
 * Bits per byte: a model's loss on a text, in a unit that does not depend on its tokenizer.
 * A loss in nats per token cannot compare a character model with a subword one (a subword token carries several
 * characters), but the total surprise over the same text can: sum −log₂ p over its tokens and divide by the
 * bytes those tokens spell. For ASCII text, such as Tiny Shakespeare, a byte is a character.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gptForward, type GPTConfig } from '../model/gpt';
import type { Params } from '../model/params';
import { crossEntropy } from './loss';
import { shiftedWindows } from './batches';

/** A text's total surprise under a model, and the same in the units worth comparing. */
export interface TextBits {
  /** Tokens predicted (targets). */
  tokens: number;
  /** Bytes those tokens spell. */
  bytes: number;
  /** Σ −log₂ p over the predicted tokens. */
  bits: number;
  bitsPerToken: number;
  bitsPerByte: number;
}

/** Byte length of every token id of a tokenizer (its UTF-8 spelling; BPE tokens by their own bytes) → (V). */
export function tokenByteLengths(tokenizer: {
  vocabSize: number;
  decode(ids: ArrayLike<number>): string;
  tokenBytes?(id: number): Uint8Array;
}): Int32Array {
  const encoder = new TextEncoder();
  return Int32Array.from({ length: tokenizer.vocabSize }, (_, id) =>
    tokenizer.tokenBytes ? tokenizer.tokenBytes(id).length : encoder.encode(tokenizer.decode([id])).length,
  );
}

/** Convert a mean loss in nats per token into bits per byte: loss · tokens / (ln 2 · bytes). */
export function natsToBitsPerByte(meanNatsPerToken: number, tokens: number, bytes: number): number {
  if (!(tokens > 0 && bytes > 0))
    throw new Error(`bits per byte needs positive token and byte counts, got ${tokens} tokens and ${bytes} bytes`);
  return (meanNatsPerToken * tokens) / (Math.LN2 * bytes);
}

/**
 * Score ids (N) with a GPT in back-to-back windows of blockSize + 1 (each predicts its last blockSize tokens from
 * the ones before, within the window), batchSize windows per forward pass; byteLengths (V) from tokenByteLengths.
 */
export function textBits(
  params: Params,
  config: GPTConfig,
  ids: ArrayLike<number>,
  byteLengths: ArrayLike<number>,
  batchSize = 16,
): TextBits {
  const T = config.blockSize;
  const windows = Math.floor((ids.length - 1) / T);
  if (windows < 1)
    throw new Error(`textBits needs more than blockSize (${T}) tokens, got ${ids.length}: score a longer text`);
  let nats = 0;
  let bytes = 0;
  for (let first = 0; first < windows; first += batchSize) {
    const starts = Array.from({ length: Math.min(batchSize, windows - first) }, (_, i) => (first + i) * T);
    const { x, y } = shiftedWindows(ids, starts, T); // (b·T) each
    const meanNats = tf.tidy(() => {
      const shape: [number, number] = [starts.length, T];
      return crossEntropy(
        gptForward(params, config, tf.tensor2d(x, shape, 'int32')),
        tf.tensor2d(y, shape, 'int32'),
      ).dataSync()[0];
    });
    nats += meanNats * starts.length * T;
    for (const s of starts) for (let t = 1; t <= T; t++) bytes += byteLengths[ids[s + t]];
  }
  const tokens = windows * T;
  const bits = nats / Math.LN2;
  return { tokens, bytes, bits, bitsPerToken: bits / tokens, bitsPerByte: bits / bytes };
}
