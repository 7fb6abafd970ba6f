import { describe, expect, it } from 'vitest';
import { warmupCosineLr } from '@how-llms-work/lib';

describe('warm-up then cosine', () => {
  const o = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: 1000 };
  it('rises linearly during warm-up', () => {
    expect(warmupCosineLr(0, o)).toBeCloseTo(1e-5, 12);
    expect(warmupCosineLr(49, o)).toBeCloseTo(5e-4, 12);
    expect(warmupCosineLr(99, o)).toBeCloseTo(1e-3, 12);
  });
  it('follows the cosine to the floor and stays there', () => {
    expect(warmupCosineLr(100, o)).toBeCloseTo(1e-3, 12);
    expect(warmupCosineLr(550, o)).toBeCloseTo(5.5e-4, 12); // halfway: midpoint of max and min
    expect(warmupCosineLr(1000, o)).toBeCloseTo(1e-4, 12);
    expect(warmupCosineLr(5000, o)).toBe(1e-4);
    for (let s = 100; s < 1000; s++) expect(warmupCosineLr(s + 1, o)).toBeLessThanOrEqual(warmupCosineLr(s, o));
  });
  it('rejects a floor above the peak', () => {
    expect(() => warmupCosineLr(0, { ...o, minLr: 1 })).toThrow(/minLr 1, maxLr 0.001/);
  });
});
