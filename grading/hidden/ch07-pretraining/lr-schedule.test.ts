// Hidden tests of exercises/ch07-pretraining/lr-schedule.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { learningRateAt } from '@exercises/ch07-pretraining/lr-schedule';

describe('ch07 learning-rate schedule', () => {
  it('with no warm-up, starts at maxLr', () => {
    const o = { maxLr: 2e-3, minLr: 0, warmupSteps: 0, decaySteps: 10 };
    expect(learningRateAt(0, o)).toBeCloseTo(2e-3, 12);
    expect(learningRateAt(5, o)).toBeCloseTo(1e-3, 12);
  });
  it('rises during warm-up, falls after, and the cosine is symmetric about its midpoint', () => {
    const o = { maxLr: 1, minLr: 0.2, warmupSteps: 8, decaySteps: 40 };
    for (let s = 0; s < 7; s++) expect(learningRateAt(s + 1, o)).toBeGreaterThan(learningRateAt(s, o));
    for (let s = 8; s < 40; s++) expect(learningRateAt(s + 1, o)).toBeLessThan(learningRateAt(s, o));
    for (let t = 0; t <= 32; t += 4) expect(learningRateAt(8 + t, o) + learningRateAt(40 - t, o)).toBeCloseTo(1.2, 12);
  });
});
