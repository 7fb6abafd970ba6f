import { afterAll, describe, expect, it } from 'vitest';
import {
  TensorParallelMLP,
  communicationPerStep,
  feedForward,
  megatronMlpShards,
  ringAllReduceBytes,
  tensorParallelMlpBytes,
  tf,
  type NamedTensors,
  type Params,
} from '@how-llms-work/lib';

const prefix = 'transformer.h.0.mlp';
const C = 8;

/** An MLP's parameters (c_fc (4C, C), c_proj (C, 4C), biases) and an input (2, 3, C), from seeds. */
function fixture(seed: number): { params: NamedTensors; x: tf.Tensor } {
  return tf.tidy(() => ({
    params: {
      [`${prefix}.c_fc.weight`]: tf.randomNormal([4 * C, C], 0, 0.5, 'float32', seed),
      [`${prefix}.c_fc.bias`]: tf.randomNormal([4 * C], 0, 0.1, 'float32', seed + 1),
      [`${prefix}.c_proj.weight`]: tf.randomNormal([C, 4 * C], 0, 0.3, 'float32', seed + 2),
      [`${prefix}.c_proj.bias`]: tf.randomNormal([C], 0, 0.1, 'float32', seed + 3),
    },
    x: tf.randomNormal([2, 3, C], 0, 1, 'float32', seed + 4),
  }));
}

/** A loss whose gradient differs at every output position: Σ y² · w. */
function lossOf(y: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () =>
      y
        .square()
        .mul(tf.linspace(0.5, 1.5, y.size).reshape(y.shape))
        .sum() as tf.Scalar,
  );
}

/** The unsplit layer in this thread: output, loss gradients for every parameter and for x. */
function reference(params: NamedTensors, x: tf.Tensor) {
  const names = Object.keys(params);
  return tf.tidy(() => {
    const output = feedForward(params as Params, prefix, x);
    const f = (...ts: tf.Tensor[]) =>
      lossOf(feedForward(Object.fromEntries(names.map((n, i) => [n, ts[i]])) as Params, prefix, ts[names.length]));
    const g = tf.grads(f)([...names.map((n) => params[n]), x]);
    return { output, grads: Object.fromEntries(names.map((n, i) => [n, g[i]])), dInput: g[names.length] };
  });
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(a.sub(b))).dataSync()[0]);
}

describe('Megatron MLP on worker threads', () => {
  const pools: TensorParallelMLP[] = [];
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  for (const workers of [2, 1]) {
    it(`on ${workers} worker(s) equals the unsplit MLP: output, input gradient, weight gradients; no leaks`, async () => {
      const { params, x } = fixture(11);
      const tp = await TensorParallelMLP.start(params, { prefix, workers });
      pools.push(tp);
      expect(tp.size).toBe(workers);
      const want = reference(params, x);
      const before = tf.memory().numTensors;
      const seen: number[][] = [];
      for (let s = 0; s < 3; s++) {
        const step = await tp.step(params, x, lossOf);
        seen.push(step.workerTensors);
        expect(maxDiff(step.output, want.output)).toBeLessThan(1e-5);
        expect(maxDiff(step.dInput, want.dInput)).toBeLessThan(1e-4);
        expect(Object.keys(step.grads).sort()).toEqual(Object.keys(params).sort());
        for (const n of Object.keys(params)) expect(maxDiff(step.grads[n], want.grads[n])).toBeLessThan(1e-4);
        // Counted bytes: x and dy go to every worker; partial outputs and partial dx come back from every worker.
        const activation = x.size * 4;
        expect(step.bytesToWorkers).toBe(2 * workers * activation);
        expect(step.bytesAllReduce).toBe(2 * workers * activation);
        expect(step.bytesGradients).toBe((8 * C * C + 4 * C) * 4);
        tf.dispose([step.output, step.dInput, step.grads]);
      }
      expect(tf.memory().numTensors).toBe(before);
      expect(seen[2]).toEqual(seen[1]);
      tf.dispose([want.output, want.dInput, want.grads, params, x]);
    });
  }

  it('a closed pool refuses work, and shards that do not divide are refused by name', async () => {
    const { params, x } = fixture(3);
    const tp = pools[0];
    await tp.close();
    await expect(tp.step(params, x, lossOf)).rejects.toThrow(/terminated|exited/);
    expect(() => megatronMlpShards(params, prefix, 3)).toThrow(/32 hidden features cannot be split evenly among 3/);
    expect(() => megatronMlpShards(params, 'transformer.h.9.mlp', 2)).toThrow(/no parameter "transformer.h.9.mlp/);
    tf.dispose([params, x]);
  });
});

describe('communication per step on paper', () => {
  it('a ring all-reduce sends 2(N−1) copies of the buffer in all; at N = 2 that is what a hub gathers', () => {
    expect(ringAllReduceBytes(100, 1)).toBe(0);
    expect(ringAllReduceBytes(100, 2)).toBe(200);
    expect(ringAllReduceBytes(100, 4)).toBe(600);
    expect(tensorParallelMlpBytes(6, C, 2)).toBe(2 * 2 * 6 * C * 4);
  });

  it('data parallelism moves the gradients, pipeline the boundary activations, tensor four all-reduces per block', () => {
    const size = { vocabSize: 65, blockSize: 64, nLayer: 4, nEmbd: 128, nHead: 4 };
    const [data, pipe, tensor] = communicationPerStep(size, { batch: 12, devices: 2 });
    const activation = 12 * 64 * 128 * 4;
    expect(pipe.bytes).toBe(2 * activation + 2 * 65 * 128 * 4);
    expect(tensor.bytes).toBe(4 * 4 * 2 * activation);
    expect(data.bytes).toBeGreaterThan(2 * 4 * 12 * 128 * 128 * 4); // at least every block's 12C² weights, twice
  });
});
