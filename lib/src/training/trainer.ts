/**
 * The training loop, generic over a loss function of (params, batch): GPTs, RNNs and anything else
 * with named parameters train with it. One step: batch → loss and named gradients → clip → AdamW.
 * Losses are read back to the host only every `logEvery` steps and at evaluations.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { NamedTensors, Params } from '../model/params';
import { adamwStep, createAdamW, type AdamWOptions, type AdamWState } from './adamw';
import { clipScale } from './clip';
import { lossAndGrads, trainableNames, type NameFilter } from './gradients';

/** What the loss function learns about the step it is computing. */
export interface StepContext {
  /** true while training (dropout on), false while evaluating. */
  training: boolean;
  step: number;
  /** A seed for this step's randomness (dropout), drawn from the trainer's Rng. */
  seed: number;
}

/** A loss of (params, batch) → scalar (); the batch is any tensors the caller's batch function makes. */
export type LossFn<Batch> = (params: Params, batch: Batch, ctx: StepContext) => tf.Scalar;

/** One report to the progress callback. */
export interface TrainProgress {
  step: number;
  lr: number;
  /** Loss of the latest training batch (read every logEvery steps). */
  loss?: number;
  /** Global gradient norm before clipping, read with `loss`. */
  gradNorm?: number;
  /** Mean loss over evalIters fixed training batches (at evaluations). */
  trainLoss?: number;
  /** Mean loss over evalIters fixed validation batches (at evaluations). */
  valLoss?: number;
  elapsedMs: number;
}

/** Options for `train`. */
export interface TrainOptions<Batch> {
  params: Params;
  loss: LossFn<Batch>;
  /** Makes a training batch (tensors, any nesting) from the trainer's seeded Rng; the trainer disposes it. */
  trainBatch: (rng: Rng) => Batch;
  /** Makes a validation batch (optional; without it there is no val loss nor early stop). */
  valBatch?: (rng: Rng) => Batch;
  steps: number;
  /** A constant learning rate or a schedule of the (global) step. */
  lr: number | ((step: number) => number);
  /** Continue with this optimizer state (from a checkpoint); else a fresh AdamW with `adamw`. */
  optimizer?: AdamWState;
  adamw?: AdamWOptions;
  /** Clip the global gradient norm to this (default 1.0; Infinity disables). */
  clipNorm?: number;
  /** Parameters that do not train (names or `blocks.0.*` patterns). */
  frozen?: NameFilter;
  seed?: number;
  /** Global step to start from (a resumed run). */
  startStep?: number;
  evalEvery?: number;
  evalIters?: number;
  logEvery?: number;
  onProgress?: (p: TrainProgress) => void;
  /** Stop when the val loss has not improved by minDelta for `patience` evaluations. */
  earlyStop?: { patience: number; minDelta?: number };
  /** Stop after this much wall time (a budget for scripts and notebooks); the final evaluation still runs. */
  timeLimitMs?: number;
  /**
   * Run each step elsewhere (data-parallel worker threads, `gptDataParallelRunner`): started with the parameters,
   * the trainable names and the optimizer, it takes every training step; evaluations run here on weights it copies
   * back, and at the end it copies the weights and the optimizer's state into `params` and the returned optimizer.
   */
  stepRunner?: (start: StepRunnerStart) => Promise<StepRunner<Batch>>;
}

/** What a step runner starts from: the model, which parameters train, the optimizer's state, the clip norm. */
export interface StepRunnerStart {
  params: Params;
  names: string[];
  optimizer: AdamWState;
  clipNorm: number;
}

/** One training step (loss and gradients, clip, AdamW) run somewhere else, e.g. in worker threads. */
export interface StepRunner<Batch> {
  /** One step on `batch` at learning rate `lr`, dropout seeded by `seed` → the batch's mean loss and the norm before clipping. */
  step(batch: Batch, lr: number, seed: number): Promise<{ loss: number; gradNorm: number }>;
  /** Mean loss (no gradients, dropout off) over `batches` under the runner's current weights: an evaluation, spread over its threads. */
  meanLoss(batches: Batch[]): Promise<number>;
  /** Copy the runner's current weights into `params`, and with `optimizer` its AdamW moments and step count. */
  sync(params: Params, optimizer?: AdamWState): Promise<void>;
  /** Stop it (its threads end). */
  close(): Promise<void>;
}

/** An evaluation: mean train and val loss at a step. */
export interface EvalPoint {
  step: number;
  trainLoss: number;
  valLoss?: number;
}

/** What `train` returns: the curves, the optimizer (for checkpoints), and why it stopped. */
export interface TrainResult {
  /** The global step reached (startStep + steps run). */
  step: number;
  evals: EvalPoint[];
  /** Training-batch losses read every logEvery steps. */
  losses: { step: number; loss: number }[];
  optimizer: AdamWState;
  /** Why the loop ended before `steps`: the validation loss stopped improving, or the time limit ran out. */
  stoppedEarly: boolean;
  stopReason: 'steps' | 'early-stop' | 'time-limit';
  elapsedMs: number;
}

/** Mean loss over `iters` batches from `makeBatch` (no gradients) → number; one host read. */
export function estimateLoss<Batch>(
  params: Params,
  loss: LossFn<Batch>,
  makeBatch: (rng: Rng) => Batch,
  iters: number,
  rng: Rng,
): number {
  const total = tf.tidy(() => {
    const parts: tf.Scalar[] = [];
    for (let i = 0; i < iters; i++) {
      const batch = makeBatch(rng);
      parts.push(loss(params, batch, { training: false, step: -1, seed: rng.seed() }));
    }
    return tf.addN(parts).div(iters) as tf.Scalar;
  });
  const value = total.dataSync()[0];
  total.dispose();
  return value;
}

// Evaluations use the same batches every time (a fixed seed), so curves move because the model does, not the sample.
const EVAL_SEED_OFFSET = 0x5eed;

/** Train `params` in place with AdamW for `steps` steps; async so that live plots can redraw between steps. */
export async function train<Batch>(o: TrainOptions<Batch>): Promise<TrainResult> {
  const seed = o.seed ?? 1337;
  const startStep = o.startStep ?? 0;
  const evalIters = o.evalIters ?? 5;
  const clipNorm = o.clipNorm ?? 1.0;
  if (!Number.isInteger(o.steps) || o.steps < 0)
    throw new Error(`steps must be a non-negative integer, got ${o.steps}`);
  if (!Number.isInteger(evalIters) || evalIters < 1)
    throw new Error(`evalIters must be a positive integer, got ${evalIters}`);
  if (o.earlyStop && !o.valBatch) throw new Error('early stopping watches the validation loss: pass valBatch too');
  const names = trainableNames(o.params, o.frozen ?? []);
  const optimizer = o.optimizer ?? createAdamW(o.params, o.adamw);
  const lrAt = typeof o.lr === 'number' ? () => o.lr as number : o.lr;
  const rng = new Rng(seed + startStep); // a resumed run draws fresh batches, not the first run's again
  const started = Date.now();
  const runner = o.stepRunner ? await o.stepRunner({ params: o.params, names, optimizer, clipNorm }) : undefined;
  try {
    return await loop(o, { seed, startStep, evalIters, clipNorm, names, optimizer, lrAt, rng, started, runner });
  } finally {
    await runner?.close();
  }
}

/** The steps and evaluations of `train`, here or through a step runner. */
async function loop<Batch>(
  o: TrainOptions<Batch>,
  c: {
    seed: number;
    startStep: number;
    evalIters: number;
    clipNorm: number;
    names: string[];
    optimizer: AdamWState;
    lrAt: (step: number) => number;
    rng: Rng;
    started: number;
    runner?: StepRunner<Batch>;
  },
): Promise<TrainResult> {
  const { seed, startStep, evalIters, clipNorm, names, optimizer, lrAt, rng, started, runner } = c;
  const evalEvery = o.evalEvery ?? Math.max(1, Math.floor(o.steps / 10));
  const logEvery = o.logEvery ?? Math.max(1, Math.floor(evalEvery / 5));
  const evals: EvalPoint[] = [];
  const losses: { step: number; loss: number }[] = [];
  let best = Infinity;
  let sinceBest = 0;
  let stopReason: TrainResult['stopReason'] = 'steps';
  // With a step runner the weights live in the runner: it evaluates the same batches there, and the weights come
  // back here at the end.
  const lossOf = async (makeBatch: (rng: Rng) => Batch, rng: Rng): Promise<number> => {
    if (!runner) return estimateLoss(o.params, o.loss, makeBatch, evalIters, rng);
    const batches: Batch[] = [];
    for (let i = 0; i < evalIters; i++) {
      batches.push(makeBatch(rng));
      rng.seed(); // as estimateLoss draws each batch's dropout seed, so the batches that follow are the same
    }
    try {
      return await runner.meanLoss(batches);
    } finally {
      tf.dispose(batches as unknown as tf.TensorContainer);
    }
  };

  const evaluate = async (step: number): Promise<EvalPoint> => {
    const trainLoss = await lossOf(o.trainBatch, new Rng(seed + EVAL_SEED_OFFSET));
    const valLoss = o.valBatch ? await lossOf(o.valBatch, new Rng(seed + EVAL_SEED_OFFSET + 1)) : undefined;
    const point = { step, trainLoss, valLoss };
    evals.push(point);
    o.onProgress?.({ step, lr: lrAt(step), trainLoss, valLoss, elapsedMs: Date.now() - started });
    return point;
  };

  const report = async (step: number, lr: number, value: number, gradNorm: number) => {
    if (!Number.isFinite(value))
      throw new Error(
        `training loss became ${value} at step ${step}: lower the learning rate (${lr}) or check the data`,
      );
    losses.push({ step: step + 1, loss: value });
    o.onProgress?.({ step: step + 1, lr, loss: value, gradNorm, elapsedMs: Date.now() - started });
    await yieldToEventLoop();
  };

  let step = startStep;
  for (let i = 0; i < o.steps; i++, step++) {
    if (o.timeLimitMs !== undefined && Date.now() - started > o.timeLimitMs) {
      stopReason = 'time-limit';
      break;
    }
    if (i % evalEvery === 0) {
      const point = await evaluate(step);
      if (o.earlyStop && point.valLoss !== undefined) {
        if (point.valLoss < best - (o.earlyStop.minDelta ?? 0)) {
          best = point.valLoss;
          sinceBest = 0;
        } else if (++sinceBest >= o.earlyStop.patience) {
          stopReason = 'early-stop';
          break;
        }
      }
      await yieldToEventLoop();
    }
    const lr = lrAt(step);
    const batch = o.trainBatch(rng);
    const stepSeed = rng.seed();
    if (runner) {
      const { loss, gradNorm } = await runner
        .step(batch, lr, stepSeed)
        .finally(() => tf.dispose(batch as unknown as tf.TensorContainer));
      if ((i + 1) % logEvery === 0) await report(step, lr, loss, gradNorm);
      continue;
    }
    const { loss, grads } = lossAndGrads(
      () => o.loss(o.params, batch, { training: true, step, seed: stepSeed }),
      o.params,
      names,
    );
    // Clipping as a factor the optimizer applies: no scaled copy of every gradient.
    const { scale, norm } = clipScale(grads, clipNorm);
    adamwStep(optimizer, o.params, grads, lr, { gradScale: scale });
    if ((i + 1) % logEvery === 0) {
      // The only per-step host read, every logEvery steps.
      const value = loss.dataSync()[0];
      const gradNorm = norm.dataSync()[0];
      await report(step, lr, value, gradNorm);
    }
    tf.dispose([loss, norm, scale]);
    tf.dispose(batch as unknown as tf.TensorContainer);
    disposeAll(grads);
  }
  if (stopReason !== 'early-stop' && o.steps > 0) await evaluate(step);
  if (runner) await runner.sync(o.params, optimizer);
  return {
    step,
    evals,
    losses,
    optimizer,
    stoppedEarly: stopReason !== 'steps',
    stopReason,
    elapsedMs: Date.now() - started,
  };
}

function disposeAll(named: NamedTensors): void {
  for (const t of Object.values(named)) t.dispose();
}

// Let a notebook's live chart and progress bar redraw between steps.
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
