import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clipScale,
  createAdamW,
  adamwStep,
  CharTokenizer,
  defaultTrainWorkers,
  disposeAdamW,
  disposeNamed,
  estimateLoss,
  fasterTrainWorkers,
  gptLoss,
  GPTDataParallel,
  initGPT,
  lossAndGrads,
  Rng,
  sampleLMBatch,
  shardRows,
  shareSlots,
  splitTokenIds,
  tf,
  trainTokenGPT,
  type AdamWState,
  type GPTConfig,
  type LMBatch,
  type Params,
} from '@how-llms-work/lib';
import { openblasInfo } from '@how-llms-work/accel';

// A GPT small enough that two workers start and step in a few seconds.
const config: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, dropout: 0 };
const B = 6;
const adamw = { weightDecay: 0.1, beta1: 0.9, beta2: 0.99 };
const ids = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 3)) % config.vocabSize);

function batchAt(seed: number): LMBatch {
  return sampleLMBatch(ids, B, config.blockSize, new Rng(seed));
}

/** One step as `train` takes it in one thread: loss and gradients, clip 1.0, AdamW. */
function localStep(params: Params, opt: AdamWState, batch: LMBatch, lr: number): number {
  const { loss, grads } = lossAndGrads(
    () => gptLoss(config)(params, batch, { training: true, step: 0, seed: 0 }),
    params,
  );
  const { scale, norm } = clipScale(grads, 1.0);
  adamwStep(opt, params, grads, lr, { gradScale: scale });
  const value = loss.dataSync()[0];
  tf.dispose([loss, scale, norm, grads]);
  return value;
}

describe.each(['sharded', 'replicated'] as const)(
  'data-parallel GPT training over worker threads, %s update',
  (update) => {
    let dp: GPTDataParallel;
    let params: Params;
    let opt: AdamWState;
    let threadsBefore: number | undefined;

    beforeAll(async () => {
      threadsBefore = openblasInfo()?.threads;
      params = initGPT(config, 5);
      opt = createAdamW(params, adamw);
      dp = await GPTDataParallel.start(
        config,
        { params, names: Object.keys(params), optimizer: opt, clipNorm: 1.0 },
        { workers: 2, update },
      );
    });
    afterAll(async () => {
      await dp?.close();
      disposeAdamW(opt);
      disposeNamed(params);
    });

    it('starts each worker on this process backend, on one thread', () => {
      expect(dp.size).toBe(2);
      for (const summary of dp.backends) expect(summary).toContain(`TF.js backend: ${process.env.HOW_LLMS_BACKEND}`);
    });

    it('computes the whole batch loss and averaged gradient of one process, then the same AdamW step', async () => {
      const batch = batchAt(1);
      const { loss: wantLoss, grads: want } = lossAndGrads(
        () => gptLoss(config)(params, batch, { training: true, step: 0, seed: 0 }),
        params,
      );
      const step = await dp.step(batch, 1e-3, 0);
      expect(step.loss).toBeCloseTo(wantLoss.dataSync()[0], 5);
      const got = dp.lastGradients();
      let worst = 0;
      for (const name of Object.keys(params)) {
        expect(got[name].shape).toEqual(params[name].shape);
        const [a, b] = [want[name].dataSync(), got[name].dataSync()];
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-3 + Math.abs(a[i])));
      }
      expect(worst).toBeLessThan(1e-4); // float32 summation order only
      // The same step here: the weights the worker now holds equal this thread's after its step, within float32.
      localStep(params, opt, batch, 1e-3);
      const [w0] = await dp.workerWeights();
      let offset = 0;
      let diff = 0;
      for (const p of Object.values(params)) {
        const v = p.dataSync();
        for (let i = 0; i < v.length; i++) diff = Math.max(diff, Math.abs(v[i] - w0[offset + i]));
        offset += v.length;
      }
      expect(diff).toBeLessThan(1e-5);
      tf.dispose([wantLoss, want, got, batch.x, batch.y]);
    });

    it('keeps the workers bit-identical over several steps, leaks no tensors, and syncs back', async () => {
      const before = tf.memory().numTensors;
      const seen: number[][] = [];
      for (let s = 0; s < 4; s++) {
        const batch = batchAt(10 + s);
        const { loss, gradNorm } = await dp.step(batch, 1e-2, s);
        expect(Number.isFinite(loss) && gradNorm > 0).toBe(true);
        seen.push(dp.workerTensors);
        batch.x.dispose();
        batch.y.dispose();
      }
      expect(seen[3]).toEqual(seen[1]);
      const times = dp.lastTimes;
      expect(times.gradients).toHaveLength(2);
      expect(times.update).toHaveLength(2);
      expect(times.wall).toBeGreaterThanOrEqual(Math.max(...times.gradients));
      expect(tf.memory().numTensors).toBe(before);
      const [a, b] = await dp.workerWeights();
      expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer))).toBe(0);
      const copy = initGPT(config, 99);
      const copyOpt = createAdamW(copy, adamw);
      await dp.sync(copy, copyOpt);
      expect(copyOpt.step).toBe(5);
      // Every parameter's moments came back (sharded: from the worker that owns it).
      for (const name of Object.keys(copy)) {
        const largest = copyOpt.v[name].max();
        expect(largest.dataSync()[0], name).toBeGreaterThan(0);
        largest.dispose();
      }
      expect(Float32Array.from(Object.values(copy).flatMap((p) => Array.from(p.dataSync())))).toEqual(a);
      expect(tf.memory().numTensors).toBe(before + 3 * Object.keys(copy).length);
      // An evaluation over the workers (3 batches: 2 to worker 0, 1 to worker 1) equals one here on the synced copy.
      const makeBatch = (rng: Rng) => sampleLMBatch(ids, B, config.blockSize, rng);
      const here = estimateLoss(copy, gptLoss(config), makeBatch, 3, new Rng(7));
      const rng = new Rng(7);
      const batches = [0, 1, 2].map(() => {
        const b = makeBatch(rng);
        rng.seed(); // estimateLoss draws a dropout seed after each batch
        return b;
      });
      expect(await dp.meanLoss(batches)).toBeCloseTo(here, 5);
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
      disposeAdamW(copyOpt);
      disposeNamed(copy);
    });

    it('holds the native pool at one thread while it runs', () => {
      if (threadsBefore !== undefined) expect(openblasInfo()!.threads).toBe(1);
    });
  },
);

describe('splitting the work', () => {
  it('splits rows near-equally and refuses a batch with fewer rows than workers, naming both', () => {
    expect(() => shardRows(1, 2)).toThrow(/cannot split a batch of 1 examples into 2 shards/);
    expect(shardRows(7, 3)).toEqual([2, 2, 3]);
  });

  it('shares the parameters for the sharded update as contiguous runs of near-equal size', () => {
    const slots = [30, 30, 40].map((size, i) => ({ name: `p${i}`, shape: [size], offset: 0, size }));
    expect(shareSlots(slots, 1)).toEqual([[0, 3]]);
    expect(shareSlots(slots, 2)).toEqual([
      [0, 2],
      [2, 3],
    ]);
    expect(shareSlots(slots, 4).map(([a, b]) => b - a)).toEqual([1, 1, 1, 0]);
  });
});

describe('choosing the workers by measurement', () => {
  it('times both ways and keeps the faster, leaking nothing; one core needs no timing', async () => {
    const before = tf.memory().numTensors;
    const c = await fasterTrainWorkers(config, B, 2, 2);
    expect(c.candidate).toBe(2);
    expect(c.inThreadMs).toBeGreaterThan(0);
    expect(c.dataParallelMs).toBeGreaterThan(0);
    expect(c.workers).toBe(c.dataParallelMs < c.inThreadMs ? 2 : 1);
    expect(tf.memory().numTensors).toBe(before);
    const one = await fasterTrainWorkers(config, B, 1);
    expect(one.workers).toBe(1);
    expect(Number.isNaN(one.inThreadMs)).toBe(true);
  });
});

describe('train with data-parallel workers', () => {
  it('follows the one-thread run and closes its workers', async () => {
    const tokenizer = CharTokenizer.fromText('abcdefghij ');
    const split = splitTokenIds(ids, { val: 0.2 });
    const run = (workers: number) =>
      trainTokenGPT({
        config: { ...config, vocabSize: tokenizer.vocabSize },
        trainIds: split.train,
        valIds: split.val,
        batchSize: B,
        steps: 6,
        maxLr: 1e-2,
        evalEvery: 3,
        evalIters: 2,
        logEvery: 1,
        seed: 3,
        workers,
      });
    const threads = openblasInfo()?.threads;
    const before = tf.memory().numTensors;
    const one = await run(1);
    const two = await run(2);
    expect(openblasInfo()?.threads).toBe(threads); // given back at the end
    expect(two.result.optimizer.step).toBe(6);
    expect(two.result.losses.map((l) => l.loss)).toHaveLength(6);
    two.result.losses.forEach((l, i) => expect(l.loss).toBeCloseTo(one.result.losses[i].loss, 3));
    two.result.evals.forEach((e, i) => expect(e.valLoss!).toBeCloseTo(one.result.evals[i].valLoss!, 3));
    for (const r of [one, two]) {
      disposeAdamW(r.result.optimizer);
      disposeNamed(r.params);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(run(7)).rejects.toThrow(/workers must be an integer from 1 to the batch size 6, got 7/);
    expect(defaultTrainWorkers(12, 2)).toBe(2);
    expect(defaultTrainWorkers(1, 8)).toBe(1);
  });
});
