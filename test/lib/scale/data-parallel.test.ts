import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { DataParallel, shardGradients, splitBatch, tf, type NamedTensors } from '@how-llms-work/lib';
import { mlpFixture, mlpLoss } from './fixtures/mlp-task';

const task = { module: path.join(__dirname, 'fixtures/mlp-task.ts'), export: 'mlpLoss' };

describe('data-parallel gradients across worker threads', () => {
  let dp: DataParallel;
  beforeAll(async () => {
    const { params, batch } = mlpFixture(4);
    dp = await DataParallel.start(params, { workers: 2, task });
    tf.dispose([params, batch]);
  });
  afterAll(async () => dp?.close());

  it('starts each worker on the backend of this process', () => {
    expect(dp.size).toBe(2);
    for (const summary of dp.backends) expect(summary).toContain(`TF.js backend: ${process.env.HOW_LLMS_BACKEND}`);
  });

  it('matches single-process gradients of the combined batch (uneven shards too)', async () => {
    const { params, batch } = mlpFixture(5); // uneven shards: 2 and 3
    const local = shardGradients(mlpLoss, params, batch);
    const step = await dp.gradients(params, batch);
    expect(step.loss).toBeCloseTo(local.loss.dataSync()[0], 5);
    // Counted bytes: each of the 2 workers hands its whole gradient (67 floats) to the all-reduce.
    expect(step.bytesAllReduce).toBe(2 * (4 * 8 + 8 + 8 * 3 + 3) * 4);
    for (const name of Object.keys(params)) {
      const want = local.grads[name].dataSync();
      const got = step.grads[name].dataSync();
      expect(step.grads[name].shape).toEqual(params[name].shape);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
    }
    tf.dispose([params, batch, local.loss, local.grads, step.grads]);
  });

  it('trains like one process: SGD steps stay equal and no worker leaks tensors', async () => {
    const { params, batch } = mlpFixture(12, 7);
    const single: NamedTensors = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.variable(v)]));
    const parallel: NamedTensors = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.variable(v)]));
    const lr = 0.5;
    const seen: number[][] = [];
    const before = tf.memory().numTensors;
    for (let s = 0; s < 4; s++) {
      const local = shardGradients(mlpLoss, single, batch);
      const step = await dp.gradients(parallel, batch);
      seen.push(step.workerTensors);
      for (const k of Object.keys(params)) {
        tf.tidy(() => (single[k] as tf.Variable).assign(single[k].sub(local.grads[k].mul(lr))));
        tf.tidy(() => (parallel[k] as tf.Variable).assign(parallel[k].sub(step.grads[k].mul(lr))));
      }
      tf.dispose([local.loss, local.grads, step.grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(seen[3]).toEqual(seen[1]); // workers flat after warm-up
    for (const k of Object.keys(params)) {
      const a = single[k].dataSync();
      const b = parallel[k].dataSync();
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
    }
    tf.dispose([params, batch, single, parallel]);
  });

  it('refuses a batch smaller than the number of workers, naming both', async () => {
    const { params, batch } = mlpFixture(1);
    await expect(dp.gradients(params, batch)).rejects.toThrow(/cannot split a batch of 1 examples into 2 shards/);
    tf.dispose([params, batch]);
  });
});

describe('batch splitting', () => {
  it('splits every tensor along axis 0 into near-equal shards', () => {
    const batch = { x: tf.range(0, 14).reshape([7, 2]), y: tf.range(0, 7, 1, 'int32') };
    const { shards, sizes } = splitBatch(batch, 3);
    expect(sizes).toEqual([2, 2, 3]);
    expect(shards[2].x.arraySync()).toEqual([
      [8, 9],
      [10, 11],
      [12, 13],
    ]);
    expect(Array.from(shards[1].y.dataSync())).toEqual([2, 3]);
    tf.dispose([batch, shards]);
  });
});
