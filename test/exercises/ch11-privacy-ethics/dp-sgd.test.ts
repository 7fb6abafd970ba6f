// Tests of exercises/ch11-privacy-ethics/dp-sgd.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { dpSgdStep } from '@exercises/ch11-privacy-ethics/dp-sgd';
import { Rng } from '@how-llms-work/lib';

describe('ch11 dpSgdStep', () => {
  it('without noise, averages the clipped gradients (the worked example) and leaves the input alone', () => {
    const rows = [
      [3, 4],
      [0.3, 0.4],
    ];
    const out = dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1) });
    expect(out[0]).toBeCloseTo(0.45, 12);
    expect(out[1]).toBeCloseTo(0.6, 12);
    expect(rows).toEqual([
      [3, 4],
      [0.3, 0.4],
    ]);
  });

  it('clips each example separately: a huge gradient moves the mean by at most C / B', () => {
    const calm = [
      [0.1, 0],
      [0, 0.1],
      [0.1, 0.1],
    ];
    const base = dpSgdStep(calm, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1) });
    const attacked = dpSgdStep([...calm, [1e6, -1e6]], {
      clipNorm: 1,
      noiseMultiplier: 0,
      rng: new Rng(1),
      denominator: 3,
    });
    const moved = Math.hypot(attacked[0] - base[0], attacked[1] - base[1]);
    expect(moved).toBeCloseTo(1 / 3, 9);
  });

  it('adds noise of standard deviation σC / B to each coordinate, centred on the clipped mean', () => {
    const rows = [
      [3, 4, 0],
      [0.3, 0.4, 0.5],
      [-2, 0, 0],
    ];
    const rng = new Rng(7);
    const draws = 3000;
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    for (let d = 0; d < draws; d++) {
      const g = dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 1.5, rng });
      g.forEach((v, i) => {
        sum[i] += v;
        sq[i] += v * v;
      });
    }
    const clippedMean = [(0.6 + 0.3 - 1) / 3, (0.8 + 0.4) / 3, 0.5 / 3];
    const std = (1.5 * 1) / 3;
    for (let i = 0; i < 3; i++) {
      const mean = sum[i] / draws;
      const variance = sq[i] / draws - mean * mean;
      expect(Math.abs(mean - clippedMean[i])).toBeLessThan((4 * std) / Math.sqrt(draws));
      expect(Math.sqrt(variance) / std).toBeGreaterThan(0.93);
      expect(Math.sqrt(variance) / std).toBeLessThan(1.07);
    }
  });

  it('refuses a clipping norm ≤ 0 or a negative noise multiplier, naming the value', () => {
    expect(() => dpSgdStep([[1]], { clipNorm: 0, noiseMultiplier: 1, rng: new Rng(1) })).toThrow(/0/);
    expect(() => dpSgdStep([[1]], { clipNorm: 1, noiseMultiplier: -2, rng: new Rng(1) })).toThrow(/-2/);
  });
});
