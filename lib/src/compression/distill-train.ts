/**
 * Distilling a trained GPT into a smaller one with the course's trainer: the training loss is the
 * distillation loss against the teacher's logits on the same batch; evaluations report the plain
 * next-token cross-entropy, so a distilled student and one trained from scratch compare directly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { gptForward, initGPT, type GPTConfig } from '../model/gpt';
import type { Params } from '../model/params';
import { sampleLMBatch, type LMBatch } from '../training/batches';
import { crossEntropy } from '../training/loss';
import { warmupCosineLr } from '../training/schedule';
import { train, type LossFn, type TrainProgress, type TrainResult } from '../training/trainer';
import { distillationLoss } from './distill';

/** Options of a distillation run; `alpha: 0` trains the same student from the labels alone (the baseline). */
export interface DistillRunOptions {
  teacher: { params: Params; config: GPTConfig };
  /** The student's shape; it must share the teacher's vocabulary. */
  student: GPTConfig;
  trainIds: ArrayLike<number>;
  valIds: ArrayLike<number>;
  steps: number;
  batchSize?: number;
  temperature?: number;
  alpha?: number;
  maxLr?: number;
  evalEvery?: number;
  evalIters?: number;
  logEvery?: number;
  seed?: number;
  onProgress?: (p: TrainProgress) => void;
}

/** The loss `train` uses: distillation while training, plain cross-entropy while evaluating (batch x, y: (B, T)). */
export function distillTrainingLoss(
  teacher: { params: Params; config: GPTConfig },
  student: GPTConfig,
  temperature: number,
  alpha: number,
): LossFn<LMBatch> {
  return (params, batch, ctx) =>
    tf.tidy(() => {
      const logits = gptForward(params, student, batch.x); // (B, T, V)
      if (!ctx.training || alpha === 0) return crossEntropy(logits, batch.y);
      const teacherLogits = gptForward(teacher.params, teacher.config, batch.x); // (B, T, V), a constant
      return distillationLoss(logits, teacherLogits, batch.y, { temperature, alpha });
    });
}

/** Train a fresh student (seeded) by distillation from the teacher, or from labels alone when alpha is 0. */
export async function distillGPT(o: DistillRunOptions): Promise<{ params: Params; result: TrainResult }> {
  if (o.student.vocabSize !== o.teacher.config.vocabSize) {
    throw new Error(
      `student vocabSize ${o.student.vocabSize} must equal the teacher's ${o.teacher.config.vocabSize}: distillation compares distributions over the same tokens`,
    );
  }
  const T = Math.min(o.student.blockSize, o.teacher.config.blockSize);
  const B = o.batchSize ?? 12;
  const seed = o.seed ?? 1337;
  const params = initGPT(o.student, seed);
  const maxLr = o.maxLr ?? 1e-3;
  const schedule = {
    maxLr,
    minLr: maxLr / 10,
    warmupSteps: Math.min(100, Math.floor(o.steps / 10)),
    decaySteps: o.steps,
  };
  const result = await train({
    params,
    loss: distillTrainingLoss(o.teacher, o.student, o.temperature ?? 2, o.alpha ?? 0.9),
    trainBatch: (rng: Rng) => sampleLMBatch(o.trainIds, B, T, rng),
    valBatch: (rng: Rng) => sampleLMBatch(o.valIds, B, T, rng),
    steps: o.steps,
    lr: (step) => warmupCosineLr(step, schedule),
    adamw: { weightDecay: 0.1, beta1: 0.9, beta2: 0.99 },
    seed,
    evalEvery: o.evalEvery,
    evalIters: o.evalIters ?? 10,
    logEvery: o.logEvery,
    onProgress: o.onProgress,
  });
  return { params, result };
}
