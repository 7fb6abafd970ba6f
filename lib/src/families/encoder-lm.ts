/**
 * The encoder-only family (BERT and its descendants): the GPT of chapter 7 with the causal mask off, so every
 * position sees the whole input, trained to fill in masked tokens instead of predicting the next one.
 * It reuses GPT's parameters and names (`initGPT` makes them; `transformer.wte.weight` is also the tied output
 * head), so the only difference between the two families in this file is one flag: `causal: false`.
 * An encoder reads; it cannot generate left to right, because no position was trained without seeing its right.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { Params } from '../model/params';
import { gptEmbed, gptHead, type GPTConfig } from '../model/gpt';
import { transformerBlock } from '../model/block';
import { maybeDropout } from '../model/multihead';
import { paddingMask } from '../model/attention';
import { crossEntropy } from '../training/loss';
import type { LossFn } from '../training/trainer';
import { NOT_CHOSEN, type MLMBatch } from './masking';

/** Options of an encoder pass: padding to ignore, and dropout while training. */
export interface EncoderOptions {
  /** (B, T) 1 for tokens and 0 for padding: no position attends to padding. */
  keep?: tf.Tensor2D;
  training?: boolean;
  /** Seed of this pass's dropout masks (needed when training with dropout). */
  seed?: number;
}

/** The nLayer blocks without a causal mask: residual stream (B, T, C) → (B, T, C); every position sees every other. */
export function encoderBlocks(params: Params, config: GPTConfig, x: tf.Tensor, o: EncoderOptions = {}): tf.Tensor3D {
  return tf.tidy(() => {
    // Its own stream (seed + 1), so that the embedding's dropout mask and the blocks' are not the same draws.
    const rng = o.training && config.dropout ? new Rng((o.seed ?? 0) + 1) : undefined;
    const selfMask = o.keep ? paddingMask(o.keep) : undefined; // (B, 1, 1, T)
    let h = x;
    for (let i = 0; i < config.nLayer; i++) {
      h = transformerBlock(params, `transformer.h.${i}`, h, config, {
        causal: false,
        rope: (config.positional ?? 'learned') === 'rope',
        selfMask,
        dropout: config.dropout,
        training: o.training,
        rng,
      }); // (B, T, C)
    }
    return h as tf.Tensor3D;
  });
}

/** Contextual vectors of an encoder: ids (B, T) int32 → (B, T, C), before the final norm and head. */
export function encoderHidden(
  params: Params,
  config: GPTConfig,
  ids: tf.Tensor2D,
  o: EncoderOptions = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const rng = o.training && config.dropout ? new Rng(o.seed ?? 0) : undefined;
    const x = maybeDropout(gptEmbed(params, config, ids), config.dropout, o.training, rng); // (B, T, C)
    return encoderBlocks(params, config, x, o);
  });
}

/** An encoder-only LM: ids (B, T) int32 → logits (B, T, V) at every position, through the tied head. */
export function encoderForward(
  params: Params,
  config: GPTConfig,
  ids: tf.Tensor2D,
  o: EncoderOptions = {},
): tf.Tensor3D {
  if (ids.shape[1] > config.blockSize)
    throw new Error(`sequence length ${ids.shape[1]} exceeds blockSize ${config.blockSize}: crop or split the input`);
  return tf.tidy(() => gptHead(params, config, encoderHidden(params, config, ids, o))); // (B, T, V)
}

/** The masked-LM loss: cross-entropy at the chosen positions only (targets −1 elsewhere) → scalar. */
export function mlmLoss(config: GPTConfig): LossFn<MLMBatch> {
  return (params, batch, ctx) =>
    tf.tidy(() =>
      crossEntropy(
        encoderForward(params, config, batch.inputs, { training: ctx.training, seed: ctx.seed }),
        batch.targets,
        {
          ignoreIndex: NOT_CHOSEN,
        },
      ),
    );
}

/** The model's best guess at every position: ids (B, T) → argmax ids (B·T), row-major. */
export function encoderPredictions(params: Params, config: GPTConfig, ids: tf.Tensor2D): Int32Array {
  const best = tf.tidy(() => encoderForward(params, config, ids).argMax(-1)); // (B, T)
  const out = Int32Array.from(best.dataSync());
  best.dispose();
  return out;
}

/** Accuracy at the chosen positions of a masked batch: { correct, total } over targets ≠ −1. */
export function maskedAccuracy(params: Params, config: GPTConfig, batch: MLMBatch): { correct: number; total: number } {
  const guess = encoderPredictions(params, config, batch.inputs);
  const targets = batch.targets.dataSync();
  let correct = 0;
  let total = 0;
  for (let i = 0; i < targets.length; i++) {
    if (targets[i] === NOT_CHOSEN) continue;
    total++;
    if (guess[i] === targets[i]) correct++;
  }
  return { correct, total };
}
