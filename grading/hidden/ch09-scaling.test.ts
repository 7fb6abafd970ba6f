// Chapter 9 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { trainingCompute } from '@exercises/ch09-scaling/flops';
import { adamMemory } from '@exercises/ch09-scaling/memory';
import { averageGradients } from '@exercises/ch09-scaling/allreduce';
import { roundToBfloat16 } from '@exercises/ch09-scaling/bfloat16';
import { Rng } from '@how-llms-work/lib';

const bitsOf = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0];

describe('ch09 trainingCompute', () => {
  it('scales linearly in tokens and inversely in utilisation', () => {
    const gpu = { peakFlops: 1e15, utilization: 0.25 };
    const a = trainingCompute(3e8, 1e10, gpu);
    expect(a.flops).toBe(6 * 3e8 * 1e10);
    expect(trainingCompute(3e8, 2e10, gpu).flops).toBeCloseTo(2 * a.flops, -10);
    expect(trainingCompute(3e8, 1e10, { ...gpu, utilization: 1 }).gpuDays).toBeCloseTo(a.gpuDays / 4, 9);
    expect(a.gpuDays).toBeCloseTo(a.flops / (1e15 * 0.25) / 86400, 9);
  });
  it('rejects a utilisation of 0 and a NaN parameter count, naming them', () => {
    const gpu = { peakFlops: 1e12, utilization: 1 };
    expect(trainingCompute(1, 1, gpu).flops).toBe(6);
    expect(() => trainingCompute(1, 1, { ...gpu, utilization: 0 })).toThrow(/utilization must be in \(0, 1\], got 0/);
    expect(() => trainingCompute(Number.NaN, 1, gpu)).toThrow(/parameters must be positive, got NaN/);
  });
});

describe('ch09 adamMemory', () => {
  it('needs 16 bytes per parameter in both precisions, split differently', () => {
    for (const n of [1, 7, 123_456]) {
      const [a, b] = [adamMemory(n, 'fp32'), adamMemory(n, 'mixed')];
      expect(a.total).toBe(16 * n);
      expect(b.total).toBe(16 * n);
      expect(a.weights + a.gradients + a.optimizer).toBe(a.total);
      expect([b.weights, b.gradients, b.optimizer]).toEqual([2 * n, 2 * n, 12 * n]);
    }
  });
  it('needs nothing for zero parameters and names an unknown precision', () => {
    expect(adamMemory(0, 'fp32')).toEqual({ weights: 0, gradients: 0, optimizer: 0, total: 0 });
    expect(() => adamMemory(10, 'bf16' as never)).toThrow(/got bf16/);
  });
});

describe('ch09 averageGradients', () => {
  it('returns a copy for one worker, so changing the result leaves the worker alone', () => {
    const w = { a: Float32Array.from([1.5, -2]), b: Float32Array.from([4]) };
    const out = averageGradients([w]);
    expect(out.a).toBeInstanceOf(Float32Array);
    expect(Array.from(out.a)).toEqual([1.5, -2]);
    expect(Array.from(out.b)).toEqual([4]);
    out.a[0] = 99;
    expect(w.a[0]).toBe(1.5);
  });
  it('gives a worker with 0 examples no say, and does not depend on the order of workers', () => {
    const [p, q, r] = [{ w: Float32Array.from([2, 0]) }, { w: Float32Array.from([100, 100]) }, { w: Float32Array.from([8, 4]) }];
    expect(Array.from(averageGradients([p, q, r], [1, 0, 3]).w)).toEqual([6.5, 3]);
    expect(Array.from(averageGradients([r, p, q], [3, 1, 0]).w)).toEqual([6.5, 3]);
  });
  it('names the third worker when it does not match', () => {
    const g = () => ({ w: new Float32Array(2) });
    expect(Array.from(averageGradients([g(), g(), g()]).w)).toEqual([0, 0]);
    expect(() => averageGradients([g(), g(), { w: new Float32Array(2), extra: new Float32Array(1) }])).toThrow(/worker 2/);
  });
});

describe('ch09 roundToBfloat16', () => {
  it('gives values with 16 low bits zero, within half a bfloat16 step, odd in x', () => {
    const rng = new Rng(91);
    for (let i = 0; i < 300; i++) {
      const x = Math.fround(rng.normal() * 2 ** (rng.int(60) - 30));
      const r = roundToBfloat16(x);
      expect(bitsOf(r) & 0xffff).toBe(0);
      expect(Math.abs(r - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -8);
      expect(roundToBfloat16(-x)).toBe(-r);
    }
  });
  it('breaks ties to even above 2, and rounds fp32’s largest value up to Infinity', () => {
    // Around 2 a bfloat16 step is 2^-6: 2 + 2^-7 lies halfway between 2 (even) and 2 + 2^-6 (odd).
    expect(roundToBfloat16(2 + 2 ** -7)).toBe(2);
    expect(roundToBfloat16(2 + 3 * 2 ** -7)).toBe(2 + 2 ** -5);
    expect(roundToBfloat16(3.4028234663852886e38)).toBe(Infinity);
  });
});
