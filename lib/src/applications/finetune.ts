/**
 * Fine-tuning on a task: keep training a (pre)trained model, now on task lines only, and count
 * the loss only on the answer tokens: the prompt is given at test time, so predicting it is not
 * the skill being taught.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { gptForward, type GPTConfig } from '../model/gpt';
import type { Params } from '../model/params';
import { crossEntropy } from '../training/loss';
import { disposeAdamW } from '../training/adamw';
import { train, type TrainOptions, type TrainResult } from '../training/trainer';
import type { TextCodec } from './task-eval';
import { taskLine, type TaskExample } from './tasks';

/** Target id for positions whose prediction does not count. */
export const IGNORE_TARGET = -1;

/** A task batch: inputs x (B, T) and targets y (B, T), −1 where no loss is taken. */
export interface TaskBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** Inputs and answer-only targets for examples, right-padded to the longest line (B, T). */
export function taskBatch(examples: TaskExample[], codec: TextCodec, padId: number): TaskBatch {
  const rows = examples.map((e) => ({ ids: codec.encode(taskLine(e)), promptLength: codec.encode(e.prompt).length }));
  const T = Math.max(...rows.map((r) => r.ids.length)) - 1;
  const x = new Int32Array(rows.length * T).fill(padId);
  const y = new Int32Array(rows.length * T).fill(IGNORE_TARGET);
  rows.forEach(({ ids, promptLength }, b) => {
    for (let t = 0; t < ids.length - 1; t++) {
      x[b * T + t] = ids[t];
      // Position t predicts token t + 1: only the answer and its newline count.
      if (t + 1 >= promptLength) y[b * T + t] = ids[t + 1];
    }
  });
  return { x: tf.tensor2d(x, [rows.length, T], 'int32'), y: tf.tensor2d(y, [rows.length, T], 'int32') };
}

/** Options of fineTuneOnTask: the model, the examples and the usual training knobs. */
export interface TaskFineTuneOptions
  extends Pick<TrainOptions<TaskBatch>, 'steps' | 'lr' | 'frozen' | 'onProgress' | 'seed' | 'evalEvery' | 'logEvery'> {
  params: Params;
  config: GPTConfig;
  codec: TextCodec;
  examples: TaskExample[];
  batchSize: number;
  padId: number;
}

/** Train a GPT in place on task lines with answer-only loss (AdamW through the course's trainer); returns the curves. */
export async function fineTuneOnTask(o: TaskFineTuneOptions): Promise<Omit<TrainResult, 'optimizer'>> {
  if (o.examples.length === 0) throw new Error('fine-tuning needs at least one training example');
  const sample = (rng: Rng) =>
    taskBatch(
      Array.from({ length: o.batchSize }, () => o.examples[rng.int(o.examples.length)]),
      o.codec,
      o.padId,
    );
  const { optimizer, ...result } = await train<TaskBatch>({
    params: o.params,
    loss: (params, batch) =>
      crossEntropy(gptForward(params, o.config, batch.x), batch.y, { ignoreIndex: IGNORE_TARGET }),
    trainBatch: sample,
    steps: o.steps,
    lr: o.lr,
    frozen: o.frozen,
    onProgress: o.onProgress,
    seed: o.seed,
    evalEvery: o.evalEvery,
    logEvery: o.logEvery,
    evalIters: 2,
  });
  // A fine-tune here is one run: its optimizer moments are not kept for a later resume.
  disposeAdamW(optimizer);
  return result;
}
