// Tests of exercises/ch08-generation/top-p.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { topP } from '@exercises/ch08-generation/top-p';
import { topPFilter } from '@how-llms-work/lib';
import { expectCloseTo } from '../helpers';

describe('ch08 top-p', () => {
  it('includes the token that crosses p', () => {
    expectCloseTo(topP([0.1, 0.5, 0.3, 0.1], 0.6), [0, 0.625, 0.375, 0]);
  });

  it('stops where the running total reaches p exactly', () => {
    expectCloseTo(topP([0.1, 0.5, 0.3, 0.1], 0.8), [0, 0.625, 0.375, 0]);
    expectCloseTo(topP([0.2, 0.1, 0.7], 0.9), [0.2 / 0.9, 0, 0.7 / 0.9]);
  });

  it('keeps one token when it alone exceeds p, and everything at p = 1', () => {
    expect(topP([0.15, 0.7, 0.15], 0.6)).toEqual([0, 1, 0]);
    expectCloseTo(topP([0.25, 0.25, 0.5], 1), [0.25, 0.25, 0.5]);
  });

  it('matches the library on many random vectors', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const raw = Array.from({ length: 8 }, next);
      const total = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((r) => r / total);
      const p = 0.05 + 0.9 * next();
      expectCloseTo(topP(probs, p), topPFilter(probs, p));
    }
  });

  it('rejects p outside (0, 1], naming it', () => {
    expect(topP([0.5, 0.5], 0.5)).toHaveLength(2);
    expect(() => topP([0.5, 0.5], 1.5)).toThrow(/1\.5/);
    expect(() => topP([0.5, 0.5], 0)).toThrow(/\b0\b/);
  });
});
