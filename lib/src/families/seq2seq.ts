/**
 * Training and running the encoder–decoder of chapter 6 (model/stack.ts) on sentence pairs.
 *   training, teacher forcing: the decoder reads <bos> + the right target and predicts the target + <eos>, every
 *     position at once (causal self-attention keeps each position from seeing its answer);
 *   inference, greedy decoding: encode the source once, then feed the decoder its own argmax one token at a time
 *     until it says <eos>.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { Params } from '../model/params';
import { decodeTarget, encodeSource, encoderDecoderForward, type EncoderDecoderConfig } from '../model/stack';
import { crossEntropy } from '../training/loss';
import type { LossFn } from '../training/trainer';

/** Padding, start and end of a sequence: ids 0, 1, 2 of every Seq2SeqVocab. */
export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

/** A word vocabulary with <pad>, <bos> and <eos> as ids 0, 1, 2, then the words. */
export class Seq2SeqVocab {
  readonly words: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(words: Iterable<string>) {
    this.words = ['<pad>', '<bos>', '<eos>', ...new Set(words)];
    this.ids = new Map(this.words.map((w, i) => [w, i]));
  }

  get vocabSize(): number {
    return this.words.length;
  }

  /** Space-separated words → ids (T), without <bos> or <eos>. */
  encode(text: string): number[] {
    return text
      .trim()
      .split(/\s+/)
      .map((w) => {
        const id = this.ids.get(w);
        if (id === undefined)
          throw new Error(
            `word "${w}" is not in this vocabulary of ${this.words.length}: build it from the words used`,
          );
        return id;
      });
  }

  /** Ids → space-separated words, stopping at <eos> and skipping <pad> and <bos>. */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length && ids[i] !== EOS_ID; i++) {
      if (ids[i] === PAD_ID || ids[i] === BOS_ID) continue;
      const w = this.words[ids[i]];
      if (w === undefined)
        throw new Error(`token id ${ids[i]} is out of range for a vocabulary of ${this.words.length}`);
      out.push(w);
    }
    return out.join(' ');
  }
}

/** One training example: source ids and target ids, neither with <bos> nor <eos>. */
export interface Seq2SeqExample {
  src: number[];
  tgt: number[];
}

/**
 * A batch: src (B, S) int32 padded with <pad>, srcKeep (B, S) 1 for tokens, tgtIn (B, T) = <bos> + target (padded),
 * tgtOut (B, T) = target + <eos>, −1 on padding so the loss skips it.
 */
export interface Seq2SeqBatch {
  src: tf.Tensor2D;
  srcKeep: tf.Tensor2D;
  tgtIn: tf.Tensor2D;
  tgtOut: tf.Tensor2D;
}

/** Pad examples into a teacher-forcing batch (B = examples.length; S, T the longest source and target + 1). */
export function seq2seqBatch(examples: Seq2SeqExample[]): Seq2SeqBatch {
  if (examples.length === 0) throw new Error('a batch needs at least one example');
  const B = examples.length;
  const S = Math.max(...examples.map((e) => e.src.length));
  const T = Math.max(...examples.map((e) => e.tgt.length)) + 1;
  const src = new Int32Array(B * S).fill(PAD_ID);
  const keep = new Float32Array(B * S);
  const tgtIn = new Int32Array(B * T).fill(PAD_ID);
  const tgtOut = new Int32Array(B * T).fill(-1);
  examples.forEach((e, b) => {
    e.src.forEach((id, s) => {
      src[b * S + s] = id;
      keep[b * S + s] = 1;
    });
    [BOS_ID, ...e.tgt].forEach((id, t) => (tgtIn[b * T + t] = id));
    [...e.tgt, EOS_ID].forEach((id, t) => (tgtOut[b * T + t] = id));
  });
  return {
    src: tf.tensor2d(src, [B, S], 'int32'),
    srcKeep: tf.tensor2d(keep, [B, S], 'float32'),
    tgtIn: tf.tensor2d(tgtIn, [B, T], 'int32'),
    tgtOut: tf.tensor2d(tgtOut, [B, T], 'int32'),
  };
}

/** `batchSize` examples drawn with replacement by `rng`, padded into a batch. */
export function sampleSeq2SeqBatch(examples: Seq2SeqExample[], batchSize: number, rng: Rng): Seq2SeqBatch {
  return seq2seqBatch(Array.from({ length: batchSize }, () => examples[rng.int(examples.length)]));
}

/** Teacher-forced cross-entropy of the target + <eos> given the source, over real target positions → scalar. */
export function seq2seqLoss(config: EncoderDecoderConfig): LossFn<Seq2SeqBatch> {
  return (params, batch) =>
    tf.tidy(() =>
      crossEntropy(encoderDecoderForward(params, config, batch.src, batch.tgtIn, batch.srcKeep), batch.tgtOut, {
        ignoreIndex: -1,
      }),
    );
}

/** Greedy decoding of a batch of sources (ids, no <bos>/<eos>) → target ids per source, up to <eos> (not kept). */
export function greedyTranslate(
  params: Params,
  config: EncoderDecoderConfig,
  sources: number[][],
  maxLen = config.blockSize - 1,
): number[][] {
  if (sources.length === 0) return [];
  if (maxLen + 1 > config.blockSize)
    throw new Error(`maxLen ${maxLen} + <bos> exceeds blockSize ${config.blockSize}: lower maxLen`);
  const { src, srcKeep, tgtIn, tgtOut } = seq2seqBatch(sources.map((s) => ({ src: s, tgt: [] })));
  tf.dispose([tgtIn, tgtOut]);
  const memory = encodeSource(params, config, src, srcKeep); // (B, S, C): the source is encoded once
  const B = sources.length;
  const rows = sources.map(() => [BOS_ID]);
  const done = new Array<boolean>(B).fill(false);
  for (let t = 0; t < maxLen && done.some((d) => !d); t++) {
    const next = tf.tidy(() => {
      const ids = tf.tensor2d(rows.flat(), [B, t + 1], 'int32'); // (B, t + 1)
      const logits = decodeTarget(params, config, ids, memory, { srcKeep }); // (B, t + 1, Vt)
      return logits.slice([0, t, 0], [B, 1, -1]).argMax(-1); // (B, 1): the last position's best token
    });
    const best = next.dataSync();
    next.dispose();
    rows.forEach((row, b) => {
      row.push(done[b] ? PAD_ID : best[b]);
      if (best[b] === EOS_ID) done[b] = true;
    });
  }
  tf.dispose([src, srcKeep, memory]);
  return rows.map((row) => {
    const out = row.slice(1);
    const end = out.indexOf(EOS_ID);
    return (end < 0 ? out : out.slice(0, end)).filter((id) => id !== PAD_ID);
  });
}

/**
 * The same examples for a decoder-only model (ids from one vocabulary shared by both sides): each row is
 * source, <bos>, target, <eos> as one sequence; x (B, T) is the sequence without its last id, y (B, T) the next id
 * where it is a target token or <eos>, −1 elsewhere (the source is given, not predicted; padding is <pad>).
 */
export function decoderOnlyBatch(examples: Seq2SeqExample[]): { x: tf.Tensor2D; y: tf.Tensor2D } {
  if (examples.length === 0) throw new Error('a batch needs at least one example');
  const rows = examples.map((e) => [...e.src, BOS_ID, ...e.tgt, EOS_ID]);
  const T = Math.max(...rows.map((r) => r.length)) - 1;
  const x = new Int32Array(rows.length * T).fill(PAD_ID);
  const y = new Int32Array(rows.length * T).fill(-1);
  rows.forEach((ids, b) => {
    const sourceLength = examples[b].src.length;
    for (let t = 0; t < ids.length - 1; t++) {
      x[b * T + t] = ids[t];
      if (t >= sourceLength) y[b * T + t] = ids[t + 1]; // from <bos> on, each position predicts the next target id
    }
  });
  return { x: tf.tensor2d(x, [rows.length, T], 'int32'), y: tf.tensor2d(y, [rows.length, T], 'int32') };
}
