// Poisson sampling is what the RDP accountant assumes: every example joins a batch on its own with probability q.
import { describe, expect, it } from 'vitest';
import { dpBigramGradient, poissonSample, Rng, tf } from '@how-llms-work/lib';

describe('Poisson sampling', () => {
  it('keeps each index with probability q, independently: batch sizes have mean nq and variance nq(1 − q)', () => {
    const rng = new Rng(5);
    const n = 400;
    const q = 0.05;
    const draws = 4000;
    const sizes: number[] = [];
    const hits = new Array<number>(n).fill(0);
    let ordered = true;
    for (let d = 0; d < draws; d++) {
      const s = poissonSample(n, q, rng);
      ordered &&= s.every((v, i) => Number.isInteger(v) && v >= 0 && v < n && (i === 0 || v > s[i - 1])); // increasing: no repeats
      s.forEach((i) => hits[i]++);
      sizes.push(s.length);
    }
    expect(ordered).toBe(true);
    const mean = sizes.reduce((a, b) => a + b, 0) / draws;
    const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / draws;
    expect(Math.abs(mean - n * q)).toBeLessThan(4 * Math.sqrt((n * q * (1 - q)) / draws));
    expect(variance / (n * q * (1 - q))).toBeGreaterThan(0.9);
    expect(variance / (n * q * (1 - q))).toBeLessThan(1.1);
    // Every position equally likely: the first and the last tenth are kept equally often.
    const share = (from: number, to: number) => hits.slice(from, to).reduce((a, b) => a + b, 0) / ((to - from) * draws);
    expect(Math.abs(share(0, 40) - q)).toBeLessThan(0.005);
    expect(Math.abs(share(360, 400) - q)).toBeLessThan(0.005);
  });

  it('takes everything at q = 1, nothing at q = 0, and names a bad rate or size', () => {
    expect(poissonSample(5, 1, new Rng(1))).toEqual([0, 1, 2, 3, 4]);
    expect(poissonSample(5, 0, new Rng(1))).toEqual([]);
    expect(() => poissonSample(5, 1.5, new Rng(1))).toThrow(/1\.5/);
    expect(() => poissonSample(-1, 0.1, new Rng(1))).toThrow(/-1/);
  });

  it('a DP bigram gradient divides by the expected batch size, and an empty batch gives the noise alone', () => {
    const table = tf.randomNormal([4, 4], 0, 1, 'float32', 2);
    const x = tf.tensor1d([0, 1, 1], 'int32');
    const y = tf.tensor1d([2, 3, 0], 'int32');
    const byThree = dpBigramGradient(table, x, y, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1) });
    const bySix = dpBigramGradient(table, x, y, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1), denominator: 6 });
    expect(tf.tidy(() => tf.abs(byThree.div(2).sub(bySix)).max().dataSync()[0])).toBeLessThan(1e-7);
    const empty = dpBigramGradient(table, tf.tensor1d([], 'int32'), tf.tensor1d([], 'int32'), {
      clipNorm: 1,
      noiseMultiplier: 2,
      rng: new Rng(3),
      denominator: 10,
    });
    expect(empty.shape).toEqual([4, 4]);
    const std = tf.tidy(() => tf.moments(empty).variance.sqrt().dataSync()[0]);
    expect(std).toBeGreaterThan(0.05); // noise of σC / 10 = 0.2, from 16 draws
    expect(std).toBeLessThan(0.5);
    expect(() =>
      dpBigramGradient(table, tf.tensor1d([], 'int32'), tf.tensor1d([], 'int32'), {
        clipNorm: 1,
        noiseMultiplier: 1,
        rng: new Rng(3),
      }),
    ).toThrow(/denominator/);
  });
});
