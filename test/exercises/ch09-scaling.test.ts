// Chapter 9 exercises: what scale costs (compute, memory), the all-reduce of data parallelism, and bfloat16.
import { describe, expect, it } from 'vitest';
import { trainingCompute } from '@exercises/ch09-scaling/flops';
import { adamMemory } from '@exercises/ch09-scaling/memory';
import { averageGradients } from '@exercises/ch09-scaling/allreduce';
import { roundToBfloat16 } from '@exercises/ch09-scaling/bfloat16';
import { GPT3_175B, GPT3_TRAINING_TOKENS, Rng, roundToFormat, transformerParameters } from '@how-llms-work/lib';

describe('ch09 trainingCompute', () => {
  it('counts 6 FLOPs per parameter per token', () => {
    const r = trainingCompute(1e9, 20e9, { peakFlops: 312e12, utilization: 0.5 });
    expect(r.flops).toBeCloseTo(1.2e20, -15);
    expect(trainingCompute(10, 3, { peakFlops: 1, utilization: 1 }).flops).toBe(180);
  });

  it('turns FLOPs into GPU-days at the given utilisation', () => {
    expect(trainingCompute(1e9, 20e9, { peakFlops: 312e12, utilization: 0.5 }).gpuDays).toBeCloseTo(1.2e20 / 1.56e14 / 86400, 6);
    expect(trainingCompute(1, 86400 / 6, { peakFlops: 2, utilization: 0.5 }).gpuDays).toBeCloseTo(1, 12);
  });

  it('reproduces GPT-3 175B: about 3.14e23 FLOPs (Brown et al. 2020, Table D.1)', () => {
    const { flops } = trainingCompute(transformerParameters(GPT3_175B).total, GPT3_TRAINING_TOKENS, { peakFlops: 312e12, utilization: 0.4 });
    expect(flops / 3.14e23).toBeGreaterThan(0.99);
    expect(flops / 3.14e23).toBeLessThan(1.01);
  });

  it('rejects impossible inputs, naming the value', () => {
    const gpu = { peakFlops: 1e12, utilization: 0.5 };
    expect(() => trainingCompute(0, 1, gpu)).toThrow(/parameters must be positive, got 0/);
    expect(() => trainingCompute(1, -5, gpu)).toThrow(/tokens must be positive, got -5/);
    expect(() => trainingCompute(1, 1, { peakFlops: 1e12, utilization: 1.5 })).toThrow(/utilization must be in \(0, 1\], got 1.5/);
  });
});

describe('ch09 adamMemory', () => {
  it('needs 16 bytes per parameter in fp32: 4 weights, 4 gradients, 8 moments', () => {
    expect(adamMemory(1000, 'fp32')).toEqual({ weights: 4000, gradients: 4000, optimizer: 8000, total: 16000 });
  });

  it('needs 16 bytes per parameter in mixed precision too: 2 + 2 + 12', () => {
    expect(adamMemory(1e9, 'mixed')).toEqual({ weights: 2e9, gradients: 2e9, optimizer: 12e9, total: 16e9 });
  });

  it('puts GPT-3 175B far beyond one 80 GB GPU', () => {
    const { total } = adamMemory(175e9, 'mixed');
    expect(total).toBe(2.8e12);
    expect(Math.ceil(total / 80e9)).toBe(35);
  });

  it('rejects an unknown precision, naming it', () => {
    expect(() => adamMemory(10, 'fp8' as never)).toThrow(/precision must be "fp32" or "mixed", got fp8/);
  });
});

describe('ch09 averageGradients', () => {
  it('averages equal shards name by name', () => {
    const out = averageGradients([{ w: Float32Array.from([1, 2]), b: Float32Array.from([0]) }, { w: Float32Array.from([3, 6]), b: Float32Array.from([4]) }]);
    expect(Array.from(out.w)).toEqual([2, 4]);
    expect(Array.from(out.b)).toEqual([2]);
  });

  it('weights each worker by its number of examples, and leaves the inputs alone', () => {
    const a = { w: Float32Array.from([1, 2]) };
    const b = { w: Float32Array.from([4, 8]) };
    expect(Array.from(averageGradients([a, b], [1, 2]).w)).toEqual([3, 6]);
    expect(Array.from(a.w)).toEqual([1, 2]);
  });

  it('gives the full-batch gradient of a least-squares model from uneven shards', () => {
    // Loss = mean over examples of (w·x − y)²; its gradient is the mean of 2(w·x − y)x.
    const rng = new Rng(3);
    const xs = Array.from({ length: 10 }, () => [rng.normal(), rng.normal()]);
    const ys = xs.map(() => rng.normal());
    const w = [0.3, -0.7];
    const grad = (from: number, to: number) => {
      const g = new Float32Array(2);
      for (let i = from; i < to; i++) {
        const r = w[0] * xs[i][0] + w[1] * xs[i][1] - ys[i];
        g[0] += (2 * r * xs[i][0]) / (to - from);
        g[1] += (2 * r * xs[i][1]) / (to - from);
      }
      return { w: g };
    };
    const out = averageGradients([grad(0, 3), grad(3, 4), grad(4, 10)], [3, 1, 6]);
    const full = grad(0, 10);
    expect(out.w[0]).toBeCloseTo(full.w[0], 5);
    expect(out.w[1]).toBeCloseTo(full.w[1], 5);
  });

  it('refuses workers whose gradients do not match, naming the worker', () => {
    expect(() => averageGradients([{ w: new Float32Array(2) }, { v: new Float32Array(2) }])).toThrow(/worker 1/);
    expect(() => averageGradients([{ w: new Float32Array(2) }, { w: new Float32Array(3) }])).toThrow(/worker 1/);
  });
});

describe('ch09 roundToBfloat16', () => {
  it('keeps values bfloat16 can hold', () => {
    for (const x of [0, 1, -2, 0.5, 3.5, 2 ** 100, -(2 ** -100)]) expect(roundToBfloat16(x)).toBe(x);
  });

  it('rounds to nearest: 1/3 → 0.333984375, 0.1 → 0.10009765625', () => {
    expect(roundToBfloat16(1 / 3)).toBe(0.333984375);
    expect(roundToBfloat16(0.1)).toBe(0.10009765625);
    expect(roundToBfloat16(65504)).toBe(65536);
  });

  it('breaks ties to even', () => {
    expect(roundToBfloat16(1 + 2 ** -8)).toBe(1);
    expect(roundToBfloat16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
  });

  it('agrees with the library on thousands of values of every size, and passes NaN and infinities', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const x = Math.fround(rng.normal() * 2 ** (rng.int(200) - 100));
      expect(roundToBfloat16(x)).toBe(roundToFormat(x, 'bf16'));
    }
    expect(roundToBfloat16(NaN)).toBeNaN();
    expect(roundToBfloat16(-Infinity)).toBe(-Infinity);
  });
});
