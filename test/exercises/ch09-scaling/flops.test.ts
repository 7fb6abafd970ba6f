// Tests of exercises/ch09-scaling/flops.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { trainingCompute } from '@exercises/ch09-scaling/flops';
import { GPT3_175B, GPT3_TRAINING_TOKENS, transformerParameters } from '@how-llms-work/lib';

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
