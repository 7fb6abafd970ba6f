/**
 * Supervised fine-tuning runs: a GPT trained on chat-formatted instructions with the course's trainer, either
 * fully (every weight and its AdamW moments) or through LoRA adapters (base frozen, only A and B and their moments).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { gptForward, type GPTConfig } from '../model/gpt';
import { countParameters, type Params } from '../model/params';
import { crossEntropy } from '../training/loss';
import { createAdamW, disposeAdamW, type AdamWState } from '../training/adamw';
import { train, type TrainOptions, type TrainResult } from '../training/trainer';
import { IGNORE_TARGET, type TaskBatch } from '../applications/finetune';
import type { TaskExample } from '../applications/tasks';
import { CHAT_TOKENS, sftBatch, type ChatTokenizer, type SFTOptions } from './chat';
import { withLoRA } from './lora';

/** Options of trainSFT. */
export interface SFTRunOptions
  extends Omit<SFTOptions, 'blockSize'>,
    Pick<TrainOptions<TaskBatch>, 'steps' | 'lr' | 'seed' | 'onProgress' | 'evalEvery' | 'logEvery' | 'timeLimitMs'> {
  params: Params;
  config: GPTConfig;
  tokenizer: ChatTokenizer;
  examples: TaskExample[];
  /** Held-out examples for the validation curve (answer-token loss). */
  valExamples?: TaskExample[];
  batchSize: number;
  /** Train LoRA adapters (with this scale) instead of the weights: params stay frozen. */
  lora?: { adapters: Params; scale: number };
}

/** A finished SFT run: its curves, how many scalars trained, and the bytes of gradients plus AdamW moments it kept. */
export interface SFTRun extends Omit<TrainResult, 'optimizer'> {
  trainable: number;
  total: number;
  /** Bytes of the trainable scalars' gradient and two AdamW moments (float32): what full fine-tuning pays per weight. */
  trainingStateBytes: number;
}

/** The answer-token loss (SFT) of a GPT on a batch: cross-entropy where y ≠ −1. */
export function sftLoss(config: GPTConfig, lora?: { scale: number; adapterNames: Set<string> }) {
  return (p: Params, batch: TaskBatch): tf.Scalar => {
    const params = lora ? withLoRA(p, pick(p, lora.adapterNames), lora.scale) : p;
    return crossEntropy(gptForward(params, config, batch.x), batch.y, { ignoreIndex: IGNORE_TARGET });
  };
}

/** Fine-tune on chat-formatted examples in place (params, or only the LoRA adapters); the optimizer is freed at the end. */
export async function trainSFT(o: SFTRunOptions): Promise<SFTRun> {
  if (o.examples.length === 0) throw new Error('SFT needs at least one training example');
  const padId = o.tokenizer.id(CHAT_TOKENS.end);
  const batchOf = (from: TaskExample[]) => (rng: Rng) =>
    sftBatch(
      Array.from({ length: o.batchSize }, () => from[rng.int(from.length)]),
      o.tokenizer,
      padId,
      { ...o, blockSize: o.config.blockSize },
    );
  const adapterNames = new Set(Object.keys(o.lora?.adapters ?? {}));
  const all: Params = o.lora ? { ...o.params, ...o.lora.adapters } : o.params;
  const trained: Params = o.lora ? o.lora.adapters : o.params;
  const optimizer: AdamWState = createAdamW(trained);
  const { optimizer: _used, ...result } = await train<TaskBatch>({
    params: all,
    loss: sftLoss(o.config, o.lora ? { scale: o.lora.scale, adapterNames } : undefined),
    trainBatch: batchOf(o.examples),
    valBatch: o.valExamples?.length ? batchOf(o.valExamples) : undefined,
    steps: o.steps,
    lr: o.lr,
    optimizer,
    frozen: o.lora ? (name) => !adapterNames.has(name) : undefined,
    seed: o.seed,
    evalEvery: o.evalEvery,
    evalIters: 2,
    logEvery: o.logEvery,
    onProgress: o.onProgress,
    timeLimitMs: o.timeLimitMs,
  });
  disposeAdamW(optimizer);
  const trainable = countParameters(trained);
  return { ...result, trainable, total: countParameters(o.params), trainingStateBytes: trainable * 4 * 3 };
}

function pick(params: Params, names: Set<string>): Params {
  const out: Params = {};
  for (const n of names) out[n] = params[n];
  return out;
}
