/**
 * What every part of the benchmark agrees on: the model shapes, how a step's FLOPs are counted,
 * how a time is taken, and the JSON each runner (TypeScript or PyTorch) reports.
 */
import * as L from '@how-llms-work/lib';
import { forwardFlopsPerToken, tf, type GPTConfig } from '@how-llms-work/lib';

/** A model the benchmark trains: its shape and the batch it trains on. */
export interface BenchModel {
  name: string;
  config: GPTConfig;
  batchSize: number;
}

/** The course's baby GPT (chapter 7) and a wider one (nanoGPT's Shakespeare-char size). */
export const MODELS: Record<'baby' | 'wide', BenchModel> = {
  baby: {
    name: 'baby',
    batchSize: 12,
    config: { vocabSize: 65, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0 },
  },
  wide: {
    name: 'wide',
    batchSize: 16,
    config: { vocabSize: 65, blockSize: 256, nLayer: 6, nHead: 6, nEmbd: 384, dropout: 0 },
  },
};

/** The baby GPT's width with a 256-token context, so 256 tokens generate without the window sliding. */
export const GENERATION_MODEL: GPTConfig = { ...MODELS.baby.config, blockSize: 256 };

/** Initial weights for every runner come from this seed (PyTorch loads the same numbers from a file). */
export const INIT_SEED = 1337;

/** Training FLOPs of one step: forward (Kaplan's 2N + attention) times 3 for forward + backward, per token. */
export function trainStepFlops(model: BenchModel): number {
  const { config, batchSize } = model;
  return 3 * forwardFlopsPerToken(config) * batchSize * config.blockSize;
}

/** The plain product that dominates a model's step, (B·T, C) @ (C, 4C): its rate is the yardstick for MFU. */
export function yardstickShape(model: BenchModel): [number, number, number] {
  const { config, batchSize } = model;
  return [batchSize * config.blockSize, config.nEmbd, 4 * config.nEmbd];
}

/** Milliseconds per call of f: `warmup` untimed calls, then the median of `runs` timed ones. */
export function medianMs(f: () => void, runs: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * How many training steps a runner times (the median) after how many untimed ones, after the first step; the same in
 * bench/torch/bench.py. The baby GPT's step takes its first 10 to 15 steps to settle (V8 compiles the step's code
 * meanwhile, on the second core: measured, the 2-thread step fell from 28 to 35 ms to about 25 ms over those steps),
 * so it times 20 after 10, the steady state a training run spends its time in; a wide step takes seconds and settles
 * within the first few, so it times 3 after 1 (a true median: of 2 steps, the median taken was the slower).
 */
export function stepTiming(wide: boolean, quick: boolean): { runs: number; warmup: number } {
  if (wide) return quick ? { runs: 1, warmup: 0 } : { runs: 3, warmup: 1 };
  return quick ? { runs: 3, warmup: 1 } : { runs: 20, warmup: 10 };
}

/** Milliseconds per call of an asynchronous f (worker threads): as medianMs, awaiting each call. */
export async function medianMsAsync(f: () => Promise<unknown>, runs: number, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** One runner's measurements; every field is optional because not every runner measures everything. */
export interface RunnerResult {
  runner: string;
  /** What ran: backend, patches, threads, BLAS. */
  detail: string;
  /** Matmul micro-benchmark, ms per call, by case name. */
  matmul?: Record<string, number>;
  /** GFLOP/s of the yardstick product, by model name. */
  matmulGflops?: Record<string, number>;
  /** ms per training step, by model name. */
  trainStepMs?: Record<string, number>;
  /** Loss after the timed steps (same weights and batches everywhere, so these should agree). */
  trainLoss?: Record<string, number>;
  generation?: { tokens: number; cachedMs: number; recomputeMs: number };
  bpe?: { merges: number; trainMs: number; encodeMBps: number; gptTokenizerMBps: number; chars: number };
  converge?: {
    target: number;
    reachedAtMs?: number;
    reachedAtStep?: number;
    finalVal: number;
    evals: { step: number; val: number; ms: number }[];
  };
  error?: string;
}

/** A tensor of `shape` with seeded standard normal values. */
export function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rng = new L.Rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return tf.tensor(values, shape);
}

/**
 * The library's training step as the trainer runs it (loss and gradients, clip factor into AdamW) on random
 * batches (B, T) of a model, for profiling: `step()` runs one and reads the loss back.
 */
export function libraryStep(model: BenchModel): { step: () => void; params: L.Params } {
  const { config, batchSize: B } = model;
  const params = L.initGPT(config, INIT_SEED);
  const optimizer = L.createAdamW(params, { weightDecay: 0.1 });
  const rng = new L.Rng(1);
  const ids = Int32Array.from({ length: 10_000 }, () => rng.int(config.vocabSize));
  const lossFn = L.gptLoss(config);
  const step = () => {
    const batch = L.sampleLMBatch(ids, B, config.blockSize, rng);
    const { loss, grads } = L.lossAndGrads(() => lossFn(params, batch, { training: true, step: 0, seed: 0 }), params);
    const { scale, norm } = L.clipScale(grads, 1.0);
    L.adamwStep(optimizer, params, grads, 1e-3, { gradScale: scale });
    loss.dataSync();
    tf.dispose([loss, norm, scale, batch.x, batch.y, ...Object.values(grads)]);
  };
  return { step, params };
}
