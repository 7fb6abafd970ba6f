// Tests of exercises/ch07-pretraining/lr-schedule.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { learningRateAt } from '@exercises/ch07-pretraining/lr-schedule';
import { warmupCosineLr } from '@how-llms-work/lib';

describe('ch07 learning-rate schedule', () => {
  const o = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: 1000 };

  it('warms up linearly from the first step', () => {
    expect(learningRateAt(0, o)).toBeCloseTo(1e-5, 12);
    expect(learningRateAt(49, o)).toBeCloseTo(5e-4, 12);
    expect(learningRateAt(99, o)).toBeCloseTo(1e-3, 12);
  });

  it('decays along a cosine: halfway is the midpoint', () => {
    expect(learningRateAt(100, o)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(550, o)).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(325, o)).toBeCloseTo(1e-4 + 0.5 * (1 + Math.cos(Math.PI / 4)) * 9e-4, 12);
  });

  it('stays at the floor after decaySteps', () => {
    expect(learningRateAt(1000, o)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(50_000, o)).toBeCloseTo(1e-4, 12);
  });

  it("agrees with the library's schedule at every step", () => {
    const p = { maxLr: 6e-4, minLr: 6e-5, warmupSteps: 20, decaySteps: 300 };
    for (let s = 0; s < 400; s += 7) expect(learningRateAt(s, p)).toBeCloseTo(warmupCosineLr(s, p), 12);
  });
});
