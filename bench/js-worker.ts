/**
 * One TypeScript runner of the benchmark, in its own process (threads and patches are chosen when
 * TF.js's backend starts). bench/run.ts starts it with HOW_LLMS_BACKEND, HOW_LLMS_STOCK_TFJS and
 * HOW_LLMS_WASM_THREADS set, and the tasks as one JSON argument; it prints one JSON line, a RunnerResult.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as L from '@how-llms-work/lib';
import { tf } from '@how-llms-work/lib';
import { nativeMatMulPatch, openblasInfo } from '@how-llms-work/accel';
import {
  GENERATION_MODEL,
  INIT_SEED,
  MODELS,
  medianMs,
  medianMsAsync,
  stepTiming,
  randomTensor,
  yardstickShape,
  type BenchModel,
  type RunnerResult,
} from './common';

/** What bench/run.ts asks of this runner. */
export interface WorkerTasks {
  runner: string;
  quick: boolean;
  /** A runner so slow that one wide step (its first, so with warm-up costs) is all it times, and two baby steps. */
  slow?: boolean;
  matmul: boolean;
  train: ('baby' | 'wide')[];
  generation: boolean;
  bpe: boolean;
  converge: boolean;
  /** Write each trained model's initial weights here (for PyTorch to load), when set. */
  weightsDir?: string;
  /** Train over this many data-parallel worker threads (lib's GPTDataParallel), each on one thread; unset: in this thread. */
  workers?: number;
}

/** Time f, which returns a tensor: read it back so that asynchronous backends are timed too, then dispose. */
function timeTensor(f: () => tf.Tensor | tf.Tensor[], runs: number, warmup = 2): number {
  return medianMs(
    () => {
      const out = tf.tidy(f);
      const list = Array.isArray(out) ? out : [out];
      list[0].dataSync();
      tf.dispose(list);
    },
    runs,
    warmup,
  );
}

/** The products of the baby GPT's step, alone: plain, each transpose, the attention batch, and a linear layer's gradients. */
function matmulCases(quick: boolean): Record<string, number> {
  const { config, batchSize } = MODELS.baby;
  const [M, K, N] = yardstickShape(MODELS.baby); // (768, 128) @ (128, 512)
  const BH = batchSize * config.nHead;
  const T = config.blockSize;
  const D = config.nEmbd / config.nHead;
  const x = randomTensor([M, K], 1); // (B·T, C)
  const w = randomTensor([K, N], 2); // (C, 4C)
  const wt = randomTensor([N, K], 3); // (4C, C), PyTorch layout
  const dy = randomTensor([M, N], 4); // (B·T, 4C)
  const q = randomTensor([BH, T, D], 5); // (B·H, T, D)
  const k = randomTensor([BH, T, D], 6);
  const runs = quick ? 3 : 10;
  const out = {
    'x @ W (plain)': timeTensor(() => tf.matMul(x, w), runs),
    'x @ Wᵀ (linear forward)': timeTensor(() => tf.matMul(x, wt, false, true), runs),
    'xᵀ @ dy (weight gradient)': timeTensor(() => tf.matMul(x, dy, true, false), runs),
    'q @ kᵀ (attention, batched)': timeTensor(() => tf.matMul(q, k, false, true), runs),
    'linear forward + both gradients': timeTensor(
      () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, false, true).mul(dy).sum())([x, wt]),
      runs,
    ),
  };
  tf.dispose([x, w, wt, dy, q, k]);
  return out;
}

/** GFLOP/s of the plain product that dominates each model's step. */
function matmulRate(model: BenchModel, quick: boolean): number {
  const [M, K, N] = yardstickShape(model);
  const a = randomTensor([M, K], 7);
  const b = randomTensor([K, N], 8);
  // Ten products a call, one read-back: the rate of the product itself, not of copying its result out.
  const reps = 10;
  const ms =
    timeTensor(
      () => {
        let y = tf.matMul(a, b);
        for (let i = 1; i < reps; i++) {
          y.dispose();
          y = tf.matMul(a, b);
        }
        return y;
      },
      quick ? 3 : 10,
    ) / reps;
  tf.dispose([a, b]);
  return (2 * M * K * N) / (ms * 1e6);
}

/** Write named parameters as little-endian float32 plus a JSON index (names, shapes, offsets), atomically. */
function writeWeights(params: L.Params, file: string): void {
  const index: { name: string; shape: number[]; offset: number }[] = [];
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [name, v] of Object.entries(params)) {
    const values = v.dataSync() as Float32Array;
    index.push({ name, shape: v.shape, offset });
    parts.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    offset += values.length;
  }
  atomicWrite(`${file}.bin`, Buffer.concat(parts));
  atomicWrite(`${file}.json`, JSON.stringify(index));
}

function atomicWrite(file: string, data: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

/** Fixed batches (B, T) from a seeded stream of random ids: the same on every runner (PyTorch draws them with the same Rng). */
function fixedBatch(model: BenchModel, seed: number): { x: Int32Array; y: Int32Array } {
  const { batchSize: B, config } = model;
  const rng = new L.Rng(seed);
  const stream = Int32Array.from({ length: B * config.blockSize + 1 + 1000 }, () => rng.int(config.vocabSize));
  const starts = Array.from({ length: B }, () => rng.int(1000));
  return L.shiftedWindows(stream, starts, config.blockSize);
}

/**
 * ms per training step of the library's real step: loss and gradients, clip to 1.0, AdamW; and the loss at the second
 * step, which every runner reaches (a slow runner times fewer steps), so the runners' losses compare.
 */
function trainStep(
  model: BenchModel,
  quick: boolean,
  slow: boolean,
  weightsDir?: string,
): { ms: number; loss: number; numTensorsFlat: boolean } {
  const { config, batchSize: B } = model;
  const params = L.initGPT(config, INIT_SEED);
  const { x, y } = fixedBatch(model, 42);
  if (weightsDir) {
    writeWeights(params, path.join(weightsDir, `init-${model.name}`));
    atomicWrite(
      path.join(weightsDir, `init-${model.name}.batch.json`),
      JSON.stringify({ x: Array.from(x), y: Array.from(y) }),
    );
  }
  const optimizer = L.createAdamW(params, { weightDecay: 0.1, beta1: 0.9, beta2: 0.99 });
  const names = Object.keys(params);
  const lossFn = L.gptLoss(config);
  const batch = {
    x: tf.tensor2d(x, [B, config.blockSize], 'int32'),
    y: tf.tensor2d(y, [B, config.blockSize], 'int32'),
  };
  const losses: number[] = [];
  const step = () => {
    const { loss, grads } = L.lossAndGrads(
      () => lossFn(params, batch, { training: true, step: 0, seed: 0 }),
      params,
      names,
    );
    // As the trainer does it: the clip factor goes into AdamW, no scaled copy of each gradient.
    const { scale, norm } = L.clipScale(grads, 1.0);
    L.adamwStep(optimizer, params, grads, 1e-3, { gradScale: scale });
    losses.push(loss.dataSync()[0]); // one read per step: asynchronous backends finish the step before the clock stops
    tf.dispose([loss, norm, scale, ...Object.values(grads)]);
  };
  const wide = model.name === 'wide';
  if (wide && slow) {
    // Minutes per step: the first step is the measurement, and leaks are checked on a second.
    const t0 = performance.now();
    step();
    const ms = performance.now() - t0;
    const before = tf.memory().numTensors;
    step();
    const flat = tf.memory().numTensors === before;
    tf.dispose([batch.x, batch.y]);
    L.disposeAdamW(optimizer);
    L.disposeNamed(params);
    return { ms, loss: losses[1], numTensorsFlat: flat };
  }
  step();
  const before = tf.memory().numTensors;
  // A slow runner (seconds a baby step) times two steps after the first.
  const { runs, warmup } = slow ? { runs: 2, warmup: 0 } : stepTiming(wide, quick);
  const ms = medianMs(step, runs, warmup);
  const numTensorsFlat = tf.memory().numTensors === before;
  tf.dispose([batch.x, batch.y]);
  L.disposeAdamW(optimizer);
  L.disposeNamed(params);
  return { ms, loss: losses[1], numTensorsFlat };
}

/**
 * The same step as trainStep (same weights, batch, clip and AdamW) over `workers` data-parallel worker threads: each
 * takes B/workers rows, their gradients are averaged, and every worker applies the same AdamW step.
 */
async function trainStepDataParallel(
  model: BenchModel,
  workers: number,
  quick: boolean,
): Promise<{ ms: number; loss: number; numTensorsFlat: boolean; workerTensorsFlat: boolean }> {
  const { config, batchSize: B } = model;
  const params = L.initGPT(config, INIT_SEED);
  const { x, y } = fixedBatch(model, 42);
  const optimizer = L.createAdamW(params, { weightDecay: 0.1, beta1: 0.9, beta2: 0.99 });
  const dp = await L.GPTDataParallel.start(
    config,
    { params, names: Object.keys(params), optimizer, clipNorm: 1.0 },
    { workers },
  );
  const batch = {
    x: tf.tensor2d(x, [B, config.blockSize], 'int32'),
    y: tf.tensor2d(y, [B, config.blockSize], 'int32'),
  };
  const losses: number[] = [];
  const step = async () => losses.push((await dp.step(batch, 1e-3, 0)).loss);
  try {
    await step();
    const before = tf.memory().numTensors;
    const workerBefore = dp.workerTensors.slice();
    const wide = model.name === 'wide';
    const { runs, warmup } = stepTiming(wide, quick);
    const ms = await medianMsAsync(step, runs, warmup);
    return {
      ms,
      loss: losses[1],
      numTensorsFlat: tf.memory().numTensors === before,
      workerTensorsFlat: dp.workerTensors.join() === workerBefore.join(),
    };
  } finally {
    await dp.close();
    tf.dispose([batch.x, batch.y]);
    L.disposeAdamW(optimizer);
    L.disposeNamed(params);
  }
}

/** Greedy generation of `tokens` positions after a one-token prompt, with and without the key/value cache. */
function generation(quick: boolean): RunnerResult['generation'] {
  const params = L.initGPT(GENERATION_MODEL, INIT_SEED);
  const model = L.gptLanguageModel(params, GENERATION_MODEL);
  const tokens = quick ? 64 : GENERATION_MODEL.blockSize;
  const run = (useCache: boolean) => L.generate(model, [0], { maxNewTokens: tokens - 1, temperature: 0, useCache });
  const cachedIds = run(true).ids;
  const recomputeIds = run(false).ids;
  if (cachedIds.join() !== recomputeIds.join())
    throw new Error('cached and recomputed generation disagree: the KV cache is wrong');
  const cachedMs = medianMs(() => run(true), quick ? 1 : 3, 0);
  const recomputeMs = medianMs(() => run(false), 1, 0);
  L.disposeNamed(params);
  return { tokens, cachedMs, recomputeMs };
}

/** BPE: train 1,000 merges on Tiny Shakespeare; encode the whole text with it and with gpt-tokenizer (cl100k_base). */
async function bpe(quick: boolean): Promise<RunnerResult['bpe']> {
  const full = await L.loadText('tinyshakespeare');
  const text = quick ? full.slice(0, 200_000) : full;
  const merges = quick ? 200 : 1000;
  const t0 = performance.now();
  const tokenizer = L.trainBpe(text, { vocabSize: L.BYTE_VOCAB_SIZE + merges });
  const trainMs = performance.now() - t0;
  const bytes = Buffer.byteLength(text, 'utf8');
  const oursMs = medianMs(() => tokenizer.encode(text), quick ? 2 : 5, 1);
  const gptMs = medianMs(() => L.gptEncode(text, 'cl100k_base'), quick ? 2 : 5, 1);
  return {
    merges,
    trainMs,
    encodeMBps: bytes / 1e3 / oursMs,
    gptTokenizerMBps: bytes / 1e3 / gptMs,
    chars: text.length,
  };
}

/** Time to a validation loss of 1.88 with the baby GPT, through the library's own chapter 7 run (trainCharGPT), over `workers` threads. */
async function converge(workers: number): Promise<RunnerResult['converge']> {
  const text = await L.loadText('tinyshakespeare');
  const target = 1.88;
  const evals: { step: number; val: number; ms: number }[] = [];
  await L.trainCharGPT({
    text,
    steps: 2000,
    batchSize: 12,
    maxLr: 1e-3,
    minLr: 1e-4,
    warmupSteps: 100,
    weightDecay: 0.1,
    clipNorm: 1.0,
    evalEvery: 250,
    evalIters: 20,
    logEvery: 250,
    seed: INIT_SEED,
    workers,
    onProgress: (p) => {
      if (p.valLoss !== undefined) evals.push({ step: p.step, val: p.valLoss, ms: p.elapsedMs });
    },
  });
  const hit = evals.find((e) => e.val <= target);
  return { target, reachedAtMs: hit?.ms, reachedAtStep: hit?.step, finalVal: evals[evals.length - 1].val, evals };
}

async function main(): Promise<void> {
  const tasks = JSON.parse(process.argv[2]) as WorkerTasks;
  const info = await L.ready();
  const blas = info.patches.includes(nativeMatMulPatch())
    ? openblasInfo()?.config.replace(/ MAX_THREADS=\d+| NO_\w+| DYNAMIC_ARCH/g, '')
    : undefined;
  const parallel =
    tasks.workers && tasks.workers > 1 ? `; data-parallel over ${tasks.workers} worker threads, 1 thread each` : '';
  const detail = `${info.name}${info.patches.length ? ` + ${info.patches.join(', ')}` : ' (stock TF.js 4.22)'}${blas ? `; ${blas} kernels` : ''}${parallel}`;
  const result: RunnerResult = { runner: tasks.runner, detail };
  const log = (what: string) => process.stderr.write(`  [${tasks.runner}] ${what}\n`);
  const errors: string[] = [];
  // A task that fails is reported and the others still run.
  const attempt = async (what: string, f: () => unknown) => {
    log(what);
    try {
      await f();
    } catch (err) {
      errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  if (tasks.matmul) await attempt('matmul', () => (result.matmul = matmulCases(tasks.quick)));
  // Before training: the wide GPT's step can exhaust wasm's 4 GB heap, and an abort ends the wasm instance.
  if (tasks.generation) await attempt('generation', () => (result.generation = generation(tasks.quick)));
  if (tasks.bpe) await attempt('bpe', async () => (result.bpe = await bpe(tasks.quick)));
  result.matmulGflops = {};
  result.trainStepMs = {};
  result.trainLoss = {};
  for (const name of tasks.train) {
    await attempt(`matmul rate and train step, ${name}`, async () => {
      result.matmulGflops![name] = matmulRate(MODELS[name], tasks.quick);
      if (tasks.workers && tasks.workers > 1) {
        const r = await trainStepDataParallel(MODELS[name], tasks.workers, tasks.quick);
        if (!r.numTensorsFlat || !r.workerTensorsFlat)
          throw new Error(`the data-parallel ${name} training step leaks tensors (here or in a worker)`);
        result.trainStepMs![name] = r.ms;
        result.trainLoss![name] = r.loss;
        return;
      }
      const { ms, loss, numTensorsFlat } = trainStep(MODELS[name], tasks.quick, tasks.slow ?? false, tasks.weightsDir);
      if (!numTensorsFlat) throw new Error(`the ${name} training step leaks tensors (tf.memory().numTensors grew)`);
      result.trainStepMs![name] = ms;
      result.trainLoss![name] = loss;
    });
  }
  if (tasks.converge)
    await attempt('converge (2,000 steps at most)', async () => (result.converge = await converge(tasks.workers ?? 1)));
  if (errors.length) result.error = errors.join('; ');
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  const runner = (() => {
    try {
      return (JSON.parse(process.argv[2]) as WorkerTasks).runner;
    } catch {
      return 'unknown';
    }
  })();
  process.stdout.write(
    `${JSON.stringify({ runner, detail: '', error: err instanceof Error ? err.message : String(err) })}\n`,
  );
  process.exit(1);
});
