import { describe, expect, it } from 'vitest';
import { associationScore, cosineSimilarity, Rng, weatEffectSize, weatTest } from '@how-llms-work/lib';

// Attributes along the two axes; targets at known angles, so s(w) = cos θ − sin θ by hand.
const A = [[1, 0]];
const B = [[0, 1]];
const X = [
  [1, 0],
  [0.8, 0.6],
]; // s = 1, 0.2
const Y = [
  [0, 1],
  [0.6, 0.8],
]; // s = −1, −0.2

describe('WEAT on vectors with a known answer', () => {
  it('association score is mean cosine to A minus mean cosine to B', () => {
    expect(associationScore([0.8, 0.6], A, B)).toBeCloseTo(0.2, 12);
    expect(cosineSimilarity([3, 0], [2, 2])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('effect size is (mean s_X − mean s_Y) / sample sd of s over X ∪ Y = 1.2 / √(2.08/3)', () => {
    expect(weatEffectSize(X, Y, A, B)).toBeCloseTo(1.2 / Math.sqrt(2.08 / 3), 10);
  });

  it('swapping the targets flips the sign; rescaling vectors changes nothing', () => {
    const d = weatEffectSize(X, Y, A, B);
    expect(weatEffectSize(Y, X, A, B)).toBeCloseTo(-d, 12);
    const scaled = (vs: number[][], k: number) => vs.map((v) => v.map((x) => x * k));
    expect(weatEffectSize(scaled(X, 7), scaled(Y, 0.1), scaled(A, 3), B)).toBeCloseTo(d, 12);
  });

  it('exact permutation p-value: only 1 of the C(4,2) = 6 splits is as extreme as the observed one', () => {
    const r = weatTest(X, Y, A, B);
    expect(r.exact).toBe(true);
    expect(r.permutations).toBe(6);
    expect(r.pValue).toBeCloseTo(1 / 6, 12);
    expect(r.statistic).toBeCloseTo(2.4, 12);
  });

  it('sampled p-value agrees with the exact one on 16 words (12870 splits)', () => {
    const rng = new Rng(3);
    const vec = (bias: number) => [1 + bias + rng.normal() * 0.5, 1 - bias + rng.normal() * 0.5, rng.normal()];
    const Xs = Array.from({ length: 8 }, () => vec(0.15));
    const Ys = Array.from({ length: 8 }, () => vec(-0.15));
    const exact = weatTest(
      Xs,
      Ys,
      A.map((v) => [...v, 0]),
      B.map((v) => [...v, 0]),
    );
    const sampled = weatTest(
      Xs,
      Ys,
      A.map((v) => [...v, 0]),
      B.map((v) => [...v, 0]),
      { maxExact: 0, samples: 20000, seed: 9 },
    );
    expect(exact.permutations).toBe(12870);
    expect(sampled.exact).toBe(false);
    expect(Math.abs(sampled.pValue - exact.pValue)).toBeLessThan(0.015);
  });

  it('no planted association: the effect is small and the p-value is not', () => {
    const rng = new Rng(11);
    const vec = () => Array.from({ length: 50 }, () => rng.normal());
    const words = (n: number) => Array.from({ length: n }, vec);
    const r = weatTest(words(8), words(8), words(8), words(8));
    expect(Math.abs(r.effectSize)).toBeLessThan(1.2);
    expect(r.pValue).toBeGreaterThan(0.05);
  });

  it('names unequal target sets and zero vectors', () => {
    expect(() => weatTest(X, [Y[0]], A, B)).toThrow(/needs \|X\| = \|Y\|, got 2 and 1/);
    expect(() => cosineSimilarity([0, 0], [1, 0])).toThrow(/zero vector/);
  });
});
