// Hidden tests of exercises/ch09-scaling/flops.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { trainingCompute } from '@exercises/ch09-scaling/flops';

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
