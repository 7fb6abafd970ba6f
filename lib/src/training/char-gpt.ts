/**
 * A character-level GPT run end to end, shared by `npm run train:gpt` and the chapter 7 and 8 notebooks:
 * text → CharTokenizer → train/val split → random shifted batches → GPT → AdamW with warm-up and cosine,
 * and a checkpoint that carries the vocabulary so the model can be loaded and decoded again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { profile, type Profile } from '../core/profile';
import { courseRoot } from '../data/registry';
import { Rng } from '../core/random';
import { gptForward, initGPT, type GPTConfig } from '../model/gpt';
import { disposeNamed, type Params } from '../model/params';
import { CharTokenizer } from '../tokenizers/character';
import { crossEntropy } from './loss';
import { sampleLMBatch, splitTokenIds, type LMBatch } from './batches';
import { warmupCosineLr } from './schedule';
import { train, type LossFn, type TrainProgress, type TrainResult } from './trainer';
import { disposeAdamW, type AdamWState } from './adamw';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { gptDataParallelRunner } from '../scale/gpt-data-parallel';

/** The "baby GPT" of the course: 4 layers, 4 heads, width 128, context 64 (vocabSize comes from the tokenizer). */
export const BABY_GPT: Omit<GPTConfig, 'vocabSize'> = { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0 };

/** Options of a character-level GPT run; every field has the baby-GPT default. */
export interface CharGPTRunOptions {
  text: string;
  /** Model shape (vocabSize is set from the tokenizer). */
  model?: Partial<Omit<GPTConfig, 'vocabSize'>>;
  /** Reuse a vocabulary (fine-tuning); default: built from `text`. */
  tokenizer?: CharTokenizer;
  /** Start from these parameters (fine-tuning) instead of a fresh initialisation. */
  params?: Params;
  optimizer?: AdamWState;
  startStep?: number;
  batchSize?: number;
  steps?: number;
  maxLr?: number;
  minLr?: number;
  warmupSteps?: number;
  weightDecay?: number;
  clipNorm?: number;
  valFraction?: number;
  evalEvery?: number;
  evalIters?: number;
  logEvery?: number;
  frozen?: string[];
  seed?: number;
  timeLimitMs?: number;
  onProgress?: (p: TrainProgress) => void;
  /**
   * Data-parallel worker threads for the training steps (each takes a shard of every batch: scale/gpt-data-parallel.ts);
   * default 1, every step in this thread. `defaultTrainWorkers(batchSize)` is one per physical core.
   */
  workers?: number;
}

/** A trained character-level GPT and how it got there. */
export interface CharGPTRun {
  params: Params;
  config: GPTConfig;
  tokenizer: CharTokenizer;
  result: TrainResult;
  /** Token ids of the held-out validation text (N). */
  valIds: Int32Array;
  trainIds: Int32Array;
}

/** The GPT training loss: cross-entropy of gptForward(batch.x) (B, T, V) against batch.y (B, T), dropout seeded per step. */
export function gptLoss(config: GPTConfig): LossFn<LMBatch> {
  return (params, batch, ctx) =>
    crossEntropy(gptForward(params, config, batch.x, { training: ctx.training, seed: ctx.seed }), batch.y);
}

/** Tokenize `text`, split it, and train a GPT on it with AdamW, warm-up and cosine decay. */
export async function trainCharGPT(o: CharGPTRunOptions): Promise<CharGPTRun> {
  const tokenizer = o.tokenizer ?? CharTokenizer.fromText(o.text);
  const config: GPTConfig = { ...BABY_GPT, ...o.model, vocabSize: tokenizer.vocabSize };
  const split = splitTokenIds(tokenizer.encode(o.text), { val: o.valFraction ?? 0.1 });
  const { params, result } = await trainTokenGPT({ ...o, config, trainIds: split.train, valIds: split.val });
  return { params, config, tokenizer, result, valIds: split.val, trainIds: split.train };
}

/** Options of a GPT run on ids any tokenizer made: the model, the two splits, and the character run's training options. */
export interface TokenGPTRunOptions extends Omit<CharGPTRunOptions, 'text' | 'model' | 'tokenizer' | 'valFraction'> {
  config: GPTConfig;
  trainIds: ArrayLike<number>;
  valIds: ArrayLike<number>;
}

/** Train a GPT on token ids (random shifted batches, AdamW, warm-up and cosine decay): the loop behind trainCharGPT, for any tokenizer. */
export async function trainTokenGPT(o: TokenGPTRunOptions): Promise<{ params: Params; result: TrainResult }> {
  const config = o.config;
  const steps = o.steps ?? 2000;
  const seed = o.seed ?? 1337;
  const B = o.batchSize ?? 12;
  const T = config.blockSize;
  const params = o.params ?? initGPT(config, seed);
  const startStep = o.startStep ?? 0;
  const workers = o.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > B)
    throw new Error(`workers must be an integer from 1 to the batch size ${B}, got ${workers}`);
  const schedule = {
    maxLr: o.maxLr ?? 1e-3,
    minLr: o.minLr ?? 1e-4,
    warmupSteps: o.warmupSteps ?? Math.min(100, Math.floor(steps / 10)),
    decaySteps: steps,
  };
  const result = await train({
    params,
    loss: gptLoss(config),
    trainBatch: (rng: Rng) => sampleLMBatch(o.trainIds, B, T, rng),
    valBatch: (rng: Rng) => sampleLMBatch(o.valIds, B, T, rng),
    steps,
    startStep,
    // The schedule counts from this run's first step, so a fine-tune warms up again.
    lr: (step) => warmupCosineLr(step - startStep, schedule),
    optimizer: o.optimizer,
    adamw: { weightDecay: o.weightDecay ?? 0.1, beta1: 0.9, beta2: 0.99 },
    clipNorm: o.clipNorm ?? 1.0,
    frozen: o.frozen,
    seed,
    evalEvery: o.evalEvery,
    evalIters: o.evalIters ?? 10,
    logEvery: o.logEvery,
    onProgress: o.onProgress,
    timeLimitMs: o.timeLimitMs,
    stepRunner: workers > 1 ? gptDataParallelRunner(config, workers) : undefined,
  });
  return { params, result };
}

/** What a character GPT checkpoint keeps beside the weights. */
export interface CharGPTMeta {
  tokenizer: { kind: 'char'; chars: string[] };
  note?: string;
  valLoss?: number;
}

/** Save a character GPT (config, params, optimizer, step, vocabulary) atomically to `file`. */
export async function saveCharGPT(
  file: string,
  run: Pick<CharGPTRun, 'params' | 'config' | 'tokenizer'> & { result?: TrainResult; note?: string },
): Promise<void> {
  const meta: CharGPTMeta = {
    tokenizer: { kind: 'char', chars: [...run.tokenizer.chars] },
    note: run.note,
    valLoss: run.result?.evals.at(-1)?.valLoss,
  };
  await saveCheckpoint(file, {
    config: run.config,
    params: run.params,
    optimizer: run.result?.optimizer,
    step: run.result?.step ?? 0,
    meta,
  });
}

/** Load a character GPT saved by saveCharGPT: params, config, tokenizer, optimizer and step. */
export function loadCharGPT(file: string): {
  params: Params;
  config: GPTConfig;
  tokenizer: CharTokenizer;
  optimizer?: AdamWState;
  step: number;
  meta: CharGPTMeta;
} {
  const ckpt = loadCheckpoint<GPTConfig, CharGPTMeta>(file);
  if (ckpt.meta?.tokenizer?.kind !== 'char')
    throw new Error(`${file} has no character vocabulary in its metadata: it was not saved by saveCharGPT`);
  return {
    params: ckpt.params,
    config: ckpt.config,
    tokenizer: new CharTokenizer(ckpt.meta.tokenizer.chars),
    optimizer: ckpt.optimizer,
    step: ckpt.step,
    meta: ckpt.meta,
  };
}

/** The folder every checkpoint of the course goes to, `<repository>/.checkpoints`: the notebooks and `npm run train:gpt` share it. */
export function checkpointDir(): string {
  return path.join(courseRoot(), '.checkpoints');
}

/** Where chapter 7 (and `npm run train:gpt`) saves its model and later chapters look for it; the CI profile's small model has its own file. */
export function chapter7Checkpoint(forProfile: Profile = profile()): string {
  return path.join(checkpointDir(), forProfile === 'full' ? 'shakespeare-char.ckpt' : 'shakespeare-char-ci.ckpt');
}

/** A path as the learner reads it: relative to the repository when inside it (`.checkpoints/shakespeare-char.ckpt`). */
export function coursePath(file: string): string {
  const relative = path.relative(courseRoot(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * The chapter 7 model for later chapters: load `file` if it exists (saying so), else train a stand-in on `text` with
 * `options` (saying that too, and how to get the real one) and save it there, so every notebook can run on its own.
 */
export async function loadOrTrainCharGPT(
  file: string,
  text: () => Promise<string>,
  options: Omit<CharGPTRunOptions, 'text'> = {},
): Promise<ReturnType<typeof loadCharGPT> & { trainedNow: boolean }> {
  const shown = coursePath(file);
  if (fs.existsSync(file)) {
    const model = loadCharGPT(file);
    const loss = model.meta.valLoss !== undefined ? `, validation loss ${model.meta.valLoss.toFixed(3)}` : '';
    console.log(
      `Using the model saved at ${shown} (step ${model.step}${loss}${model.meta.note ? `; ${model.meta.note}` : ''}).`,
    );
    return { ...model, trainedNow: false };
  }
  console.log(
    `No model at ${shown}: training a stand-in here (${options.steps ?? 'default'} steps). ` +
      'Run chapter 7 (or `npm run train:gpt`) once and this and every later chapter load its model instead.',
  );
  const run = await trainCharGPT({ ...options, text: await text() });
  await saveCharGPT(file, { ...run, note: 'a stand-in trained by a later chapter' });
  disposeAdamW(run.result.optimizer);
  disposeNamed(run.params);
  return { ...loadCharGPT(file), trainedNow: true };
}
