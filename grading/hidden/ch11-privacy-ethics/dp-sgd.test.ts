// Hidden tests of exercises/ch11-privacy-ethics/dp-sgd.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { dpSgdStep } from '@exercises/ch11-privacy-ethics/dp-sgd';
import { clipRows, Rng, tf } from '@how-llms-work/lib';

const randomRows = (B: number, P: number, rng: Rng, scale: number) =>
  Array.from({ length: B }, () => Array.from({ length: P }, () => rng.normal() * scale));

describe('ch11 dpSgdStep', () => {
  it("without noise equals the library's clipped mean, for random batches, widths and clipping norms", () => {
    const rng = new Rng(1111);
    for (let trial = 0; trial < 10; trial++) {
      const B = 1 + rng.int(8);
      const P = 1 + rng.int(20);
      const C = 0.1 + rng.int(5);
      const rows = randomRows(B, P, rng, 0.5 + rng.int(4));
      const got = dpSgdStep(rows, { clipNorm: C, noiseMultiplier: 0, rng: new Rng(trial) });
      const want = tf.tidy(() => clipRows(tf.tensor2d(rows), C).mean(0).arraySync() as number[]);
      expect(got).toHaveLength(P);
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    }
  });

  it('clips every example to norm at most C, and never stretches a short one', () => {
    // One example at a time, no noise: the output is that example, clipped.
    const rng = new Rng(12);
    for (let trial = 0; trial < 20; trial++) {
      const row = Array.from({ length: 6 }, () => rng.normal() * (trial % 2 ? 10 : 0.1));
      const out = dpSgdStep([row], { clipNorm: 1, noiseMultiplier: 0, rng });
      const norm = Math.hypot(...row);
      expect(Math.hypot(...out)).toBeCloseTo(Math.min(norm, 1), 9);
      out.forEach((v, i) => expect(v * norm).toBeCloseTo(row[i] * Math.min(norm, 1), 9)); // same direction
    }
  });

  it('noise: mean zero, variance (σC/denominator)², independent across coordinates, whatever the gradients’ size', () => {
    const rng = new Rng(13);
    const draws = 4000;
    for (const rows of [
      [[0, 0, 0, 0]],
      [
        [1e3, -1e3, 1e3, 5e2],
        [40, 0, 0, 0],
      ],
    ]) {
      const clean = dpSgdStep(rows, { clipNorm: 2, noiseMultiplier: 0, rng, denominator: 8 });
      const noise: number[][] = [];
      for (let d = 0; d < draws; d++)
        noise.push(
          dpSgdStep(rows, { clipNorm: 2, noiseMultiplier: 0.8, rng, denominator: 8 }).map((v, i) => v - clean[i]),
        );
      const std = (0.8 * 2) / 8;
      for (let i = 0; i < 4; i++) {
        const mean = noise.reduce((a, n) => a + n[i], 0) / draws;
        const variance = noise.reduce((a, n) => a + (n[i] - mean) ** 2, 0) / draws;
        expect(Math.abs(mean)).toBeLessThan((4 * std) / Math.sqrt(draws));
        expect(variance / std ** 2).toBeGreaterThan(0.9);
        expect(variance / std ** 2).toBeLessThan(1.1);
      }
      const covariance = noise.reduce((a, n) => a + n[0] * n[1], 0) / draws;
      expect(Math.abs(covariance) / std ** 2).toBeLessThan(0.08);
    }
  });

  it('draws its noise from the given generator: the same seed gives the same step, another seed another', () => {
    const rows = randomRows(4, 5, new Rng(3), 1);
    const a = dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 1, rng: new Rng(42) });
    const b = dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 1, rng: new Rng(42) });
    const c = dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 1, rng: new Rng(43) });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('divides by the expected batch size when given one (Poisson sampling), and refuses bad input', () => {
    const rows = [[0.3, 0.4]];
    const out = dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1), denominator: 4 });
    expect(out[0]).toBeCloseTo(0.075, 12);
    expect(() => dpSgdStep(rows, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1), denominator: 0 })).toThrow(/0/);
    expect(() => dpSgdStep([[1, 2], [3]], { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1) })).toThrow(/1/);
  });
});
