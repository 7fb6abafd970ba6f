/**
 * Data-parallel training of a GPT on one machine's cores: N worker threads (gpt-train-worker.ts), each with its own
 * TF.js backend on one thread and a whole copy of the model and its AdamW state. A step splits the batch by rows
 * (12 → 6 + 6); each worker computes the loss and gradients of its shard, the gradients are averaged through shared
 * memory in a fixed order, and the clipped AdamW step follows in one of two ways (`DataParallelUpdate`), both keeping
 * the copies identical. The mean
 * of equal shards' mean losses is the whole batch's mean loss, so this is the same step as one process takes, up to
 * the order of float sums. Where one step's kernels are too small for threads inside each kernel to pay (the baby
 * GPT's ~490 kernel calls run one after another), whole shards in parallel keep every core busy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { physicalCores, setNativeThreads } from '../runtime/threads';
import { ready, SETTING_ENV, type BackendName } from '../runtime';
import { Rng } from '../core/random';
import { gptForward, initGPT, type GPTConfig } from '../model/gpt';
import { disposeNamed, type NamedTensors, type Params } from '../model/params';
import { sampleLMBatch, type LMBatch } from '../training/batches';
import { adamwStep, createAdamW, disposeAdamW, type AdamWState } from '../training/adamw';
import { clipScale } from '../training/clip';
import { lossAndGrads } from '../training/gradients';
import { crossEntropy } from '../training/loss';
import type { StepRunner, StepRunnerStart } from '../training/trainer';
import { weightedSumInto } from './allreduce';
import { assignNamed, layoutOf, layoutSize, readNamed, shardRows, writeNamed, type Slot } from './tensor-transfer';
import { LibraryWorker, siblingModule } from './worker-pool';
import type { TrainWorkerData } from './gpt-train-worker';

/**
 * The data-parallel workers to use for a batch of `batchSize` rows: one per physical core (each worker's thread
 * computes alone), at most one per row, at least 1 (1: train in this thread, as without workers).
 */
export function defaultTrainWorkers(batchSize: number, cores = physicalCores()): number {
  return Math.max(1, Math.min(cores, batchSize));
}

/** What `fasterTrainWorkers` measured: the workers to use, and the median ms per step each way. */
export interface TrainWorkersChoice {
  workers: number;
  /** One process: this thread, the native thread pool's threads inside each kernel. */
  inThreadMs: number;
  /** `candidate` data-parallel workers of one thread each. */
  dataParallelMs: number;
  candidate: number;
}

/**
 * Which is faster for a GPT of `config` on batches of `batchSize` rows on this machine: training in this thread (the
 * native pool's threads inside each kernel) or over `candidate` data-parallel workers. Times `steps` steps each way
 * (after one untimed), on fresh weights and random tokens, and returns the faster, with both medians. Small models
 * gain from whole shards in parallel; a wide one's kernels are large enough for the pool, which then matches them.
 */
export async function fasterTrainWorkers(
  config: GPTConfig,
  batchSize: number,
  candidate = defaultTrainWorkers(batchSize),
  steps = 3,
): Promise<TrainWorkersChoice> {
  if (candidate <= 1) return { workers: 1, inThreadMs: NaN, dataParallelMs: NaN, candidate };
  const params = initGPT(config, 0);
  const optimizer = createAdamW(params);
  const names = Object.keys(params);
  const rng = new Rng(0);
  const ids = Int32Array.from({ length: batchSize * (config.blockSize + 1) * 4 }, () => rng.int(config.vocabSize));
  const batch = () => sampleLMBatch(ids, batchSize, config.blockSize, rng);
  const median = async (step: () => unknown): Promise<number> => {
    await step();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[times.length >> 1];
  };
  try {
    const inThreadMs = await median(() => {
      const b = batch();
      const { loss, grads } = lossAndGrads(() => crossEntropy(gptForward(params, config, b.x), b.y), params, names);
      const { scale, norm } = clipScale(grads, 1.0);
      adamwStep(optimizer, params, grads, 1e-4, { gradScale: scale });
      loss.dataSync();
      tf.dispose([loss, scale, norm, grads, b.x, b.y]);
    });
    const dp = await GPTDataParallel.start(config, { params, names, optimizer, clipNorm: 1.0 }, { workers: candidate });
    try {
      const dataParallelMs = await median(async () => {
        const b = batch();
        await dp.step(b, 1e-4, 0).finally(() => tf.dispose([b.x, b.y]));
      });
      return { workers: dataParallelMs < inThreadMs ? candidate : 1, inThreadMs, dataParallelMs, candidate };
    } finally {
      await dp.close();
    }
  } finally {
    disposeAdamW(optimizer);
    disposeNamed(params);
  }
}

/**
 * How the workers take the AdamW step after the gradients are averaged: `replicated`, every worker the whole step on
 * its own copy (identical inputs, identical results); `sharded`, each worker 1/N of the parameters, then the others
 * copy its new weights from shared memory (ZeRO's first stage: 1/N of the update's work and memory traffic each).
 */
export type DataParallelUpdate = 'replicated' | 'sharded';

/** Contiguous runs of `slots`, one per part, of near-equal size in floats: [from, to) indices into `slots`. */
export function shareSlots(slots: Slot[], parts: number): [number, number][] {
  const total = layoutSize(slots);
  const bounds = [0];
  let sum = 0;
  slots.forEach((s, i) => {
    sum += s.size;
    // A part ends at the first slot that reaches its share of the floats.
    while (bounds.length < parts && sum >= (bounds.length * total) / parts) bounds.push(i + 1);
  });
  while (bounds.length <= parts) bounds.push(slots.length);
  return Array.from({ length: parts }, (_, k) => [bounds[k], bounds[k + 1]] as [number, number]);
}

/** A GPT's training step over N worker threads (a StepRunner for `train`); start with `GPTDataParallel.start`. */
export class GPTDataParallel implements StepRunner<LMBatch> {
  /** Live tensors in each worker after its latest step (flat from step to step when nothing leaks). */
  workerTensors: number[] = [];
  /** Where the latest step's time went (ms): each worker's shard gradient, each worker's average + clip + AdamW, the whole step. */
  lastTimes: { gradients: number[]; update: number[]; wall: number } = { gradients: [], update: [], wall: 0 };
  private lastWeights: number[] = [];

  private constructor(
    private readonly workers: LibraryWorker[],
    private readonly layout: Slot[],
    private readonly gradLayout: Slot[],
    private readonly state: Float32Array,
    private readonly grads: Float32Array[],
    /** What each worker's backend reported when it started. */
    readonly backends: string[],
    private readonly restoreThreads: number | undefined,
    /** How the workers take the AdamW step. */
    readonly update: DataParallelUpdate,
  ) {}

  /**
   * Start `workers` workers holding `start.params` and `start.optimizer`'s state (copied in), training `start.names`
   * with clip norm `start.clipNorm`, on `backend` (default: this process's), updating as `update` says (default sharded).
   */
  static async start(
    config: GPTConfig,
    start: StepRunnerStart,
    o: { workers: number; backend?: BackendName; update?: DataParallelUpdate },
  ): Promise<GPTDataParallel> {
    const update = o.update ?? 'sharded';
    if (update !== 'sharded' && update !== 'replicated')
      throw new Error(`update must be "sharded" or "replicated", got ${JSON.stringify(update)}`);
    const n = o.workers;
    if (!Number.isInteger(n) || n < 1) throw new Error(`workers must be a positive integer, got ${n}`);
    const backend = o.backend ?? (await ready()).name;
    const { params, optimizer } = start;
    const layout = layoutOf(params);
    const gradLayout = layoutOf(Object.fromEntries(start.names.map((k) => [k, params[k]])));
    const floats = layoutSize(layout);
    const stateBuffer = new SharedArrayBuffer(3 * floats * 4);
    const state = new Float32Array(stateBuffer);
    writeNamed(params, layout, state.subarray(0, floats));
    writeNamed(optimizer.m, layout, state.subarray(floats, 2 * floats));
    writeNamed(optimizer.v, layout, state.subarray(2 * floats));
    const grads = Array.from({ length: n }, () => new SharedArrayBuffer(layoutSize(gradLayout) * 4));
    const { beta1, beta2, eps, weightDecay, decayed } = optimizer;
    const shares = shareSlots(gradLayout, n);
    const partials = new SharedArrayBuffer(8 * n);
    const workers = Array.from({ length: n }, (_, index) => {
      const data: TrainWorkerData = {
        backend,
        config,
        index,
        layout,
        gradLayout,
        adamw: { beta1, beta2, eps, weightDecay, decayed },
        clipNorm: start.clipNorm,
        state: stateBuffer,
        grads,
        own: shares[index],
        partials,
      };
      // One thread each: N workers on N cores, and no worker hands kernel work to the shared native pool.
      return new LibraryWorker(siblingModule('gpt-train-worker'), { ...data }, [], 1, { [SETTING_ENV.threads]: '1' });
    });
    try {
      const replies = await Promise.all(
        workers.map((w) => w.request<{ type: string; summary: string }>({ type: 'init', step: optimizer.step })),
      );
      // The pool is the process's: keep it at one thread while the workers run (this thread's evaluations too).
      const restoreThreads = setNativeThreads(1);
      return new GPTDataParallel(
        workers,
        layout,
        gradLayout,
        state,
        grads.map((b) => new Float32Array(b)),
        replies.map((r) => r.summary),
        restoreThreads,
        update,
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** One step on `batch` (x, y: (B, T) int32, B ≥ workers): shard gradients, average, clip, AdamW in every worker. */
  async step(batch: LMBatch, lr: number, seed: number): Promise<{ loss: number; gradNorm: number }> {
    const started = performance.now();
    const [B, T] = batch.x.shape;
    const rows = shardRows(B, this.workers.length);
    const x = batch.x.dataSync() as Int32Array; // (B·T)
    const y = batch.y.dataSync() as Int32Array; // (B·T)
    let from = 0;
    const losses = await Promise.all(
      this.workers.map((w, i) => {
        const [a, b] = [from * T, (from + rows[i]) * T];
        from += rows[i];
        const xs = x.slice(a, b);
        const ys = y.slice(a, b);
        // Each worker its own dropout seed: its rows are other examples than the others'.
        const request = { type: 'grads', x: xs, y: ys, rows: rows[i], seed: seed + i };
        return w.request<{ type: string; loss: number; ms: number }>(request, [xs.buffer, ys.buffer]);
      }),
    );
    // A shard's mean counts in proportion to its rows: the weighted mean is the whole batch's mean.
    const weights = rows.map((r) => r / B);
    const loss = losses.reduce((sum, r, i) => sum + r.loss * weights[i], 0);
    type Updated = { type: string; gradNorm: number; tensors: number; ms: number };
    let reduceMs = this.workers.map(() => 0);
    if (this.update === 'sharded') {
      const reduced = await Promise.all(
        this.workers.map((w) => w.request<{ type: string; ms: number }>({ type: 'reduce', weights })),
      );
      reduceMs = reduced.map((r) => r.ms);
    }
    const applied = await Promise.all(
      this.workers.map((w) =>
        w.request<Updated>(this.update === 'sharded' ? { type: 'update', lr } : { type: 'apply', lr, weights }),
      ),
    );
    this.workerTensors = applied.map((r) => r.tensors);
    this.lastTimes = {
      gradients: losses.map((r) => r.ms),
      update: applied.map((r, i) => r.ms + reduceMs[i]),
      wall: performance.now() - started,
    };
    this.lastWeights = weights;
    return { loss, gradNorm: applied[0].gradNorm };
  }

  /** Mean loss over `batches` (each x, y: (B, T) int32), no gradients, dropout off: batch i goes to worker i mod N. */
  async meanLoss(batches: LMBatch[]): Promise<number> {
    if (batches.length === 0) throw new Error('meanLoss needs at least one batch, got 0');
    const shares = this.workers.map((_, w) =>
      batches
        .filter((_, i) => i % this.workers.length === w)
        .map((b) => ({ x: b.x.dataSync().slice() as Int32Array, y: b.y.dataSync().slice() as Int32Array })),
    );
    const sums = await Promise.all(
      this.workers.map((w, i) =>
        shares[i].length === 0
          ? Promise.resolve({ sum: 0 })
          : w.request<{ type: string; sum: number }>({ type: 'loss', batches: shares[i] }),
      ),
    );
    return sums.reduce((total, r) => total + r.sum, 0) / batches.length;
  }

  /** Copy worker 0's weights into `params`, and with `optimizer` its AdamW moments and step count. */
  async sync(params: Params, optimizer?: AdamWState): Promise<void> {
    const moments = optimizer !== undefined;
    const sharded = this.update === 'sharded';
    // Worker 0 writes the weights; the moments come from each share's owner (sharded) or from worker 0.
    const saved = await this.workers[0].request<{ type: string; step: number }>({
      type: 'save',
      weights: true,
      moments,
      sharded,
    });
    if (moments && sharded)
      for (const w of this.workers.slice(1)) await w.request({ type: 'save', weights: false, moments, sharded });
    const floats = layoutSize(this.layout);
    const targets = optimizer ? [params, optimizer.m, optimizer.v] : [params];
    targets.forEach((target, part) => assignNamed(target, this.layout, this.state.subarray(part * floats)));
    if (optimizer) optimizer.step = saved.step;
  }

  /** The averaged gradient of the latest step, the floats every worker applied, {name: the parameter's shape} for each trainable name (caller disposes). */
  lastGradients(): NamedTensors {
    if (this.lastWeights.length === 0) throw new Error("no step yet: lastGradients reads the latest step's gradients");
    const mean = weightedSumInto(new Float32Array(this.grads[0].length), this.grads, this.lastWeights);
    return readNamed(this.gradLayout, mean);
  }

  /** Every worker's weights, flat in the layout's order (a check that the copies stay identical). */
  async workerWeights(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const w of this.workers) {
      await w.request({ type: 'save', weights: true, moments: false });
      out.push(this.state.slice(0, layoutSize(this.layout)));
    }
    return out;
  }

  /** Stop the workers and give this thread back its native threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    if (this.restoreThreads !== undefined) setNativeThreads(this.restoreThreads);
  }
}

/** A `train` step runner (TrainOptions.stepRunner) that trains a GPT of `config` over `workers` worker threads. */
export function gptDataParallelRunner(
  config: GPTConfig,
  workers: number,
  update?: DataParallelUpdate,
): (start: StepRunnerStart) => Promise<GPTDataParallel> {
  return (start) => GPTDataParallel.start(config, start, { workers, update });
}
