import { describe, expect, it } from 'vitest';
import {
  entropyNats,
  nextTokenDistribution,
  Rng,
  sampleNextToken,
  topPFilter,
  type DecodingOptions,
} from '@how-llms-work/lib';

// Upper 0.999 quantile of chi-square with df degrees of freedom (Wilson–Hilferty approximation).
function chiSquareBound(df: number): number {
  const z = 3.09;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

// Draw n tokens with the library's sampler and check the counts against the intended distribution `want` (V).
function expectFrequencies(
  logits: number[],
  options: DecodingOptions,
  want: number[],
  n = 20000,
  previous: number[] = [],
): void {
  const rng = new Rng(42);
  const counts = new Array(logits.length).fill(0);
  for (let i = 0; i < n; i++) counts[sampleNextToken(logits, options, previous, rng).token]++;
  let chi2 = 0;
  let bins = 0;
  want.forEach((q, v) => {
    if (q === 0) {
      expect(counts[v], `token ${v} has probability 0 but was drawn`).toBe(0);
      return;
    }
    bins++;
    chi2 += (counts[v] - n * q) ** 2 / (n * q);
  });
  if (bins > 1) expect(chi2).toBeLessThan(chiSquareBound(bins - 1));
  else expect(counts[want.indexOf(1)]).toBe(n);
}

// Softmax written out in the test, independent of the library's.
function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

const logits = [2.0, 1.0, 0.5, -1.0, 0.0];

describe('sampling strategies match their intended distributions (chi-square, 20 000 seeded draws)', () => {
  it('pure random sampling draws from softmax(logits)', () => {
    expectFrequencies(logits, {}, softmax(logits));
  });

  it('a biased sampler fails the same check (the check has teeth)', () => {
    // Uniform frequencies where softmax is intended: the chi-square must be far above the bound.
    expect(() => expectFrequencies([0, 0, 0, 0, 0], {}, softmax(logits))).toThrow();
  });

  it('greedy (temperature 0) always takes the argmax', () => {
    expectFrequencies(logits, { temperature: 0 }, [1, 0, 0, 0, 0], 200);
  });

  it('temperature divides the logits, not the probabilities', () => {
    expectFrequencies(logits, { temperature: 2 }, softmax(logits.map((z) => z / 2)));
    expectFrequencies(logits, { temperature: 0.5 }, softmax(logits.map((z) => z / 0.5)));
    // Dividing probabilities by T and renormalising changes nothing: that popular version would equal softmax(logits).
    const p = nextTokenDistribution(logits, { temperature: 2 });
    expect(Math.abs(p[0] - softmax(logits)[0])).toBeGreaterThan(0.1);
  });

  it('top-k keeps the k most likely tokens, renormalised', () => {
    const s = softmax([2.0, 1.0, 0.5]);
    expectFrequencies(logits, { topK: 3 }, [s[0], s[1], s[2], 0, 0]);
    expectFrequencies(logits, { topK: 1 }, [1, 0, 0, 0, 0], 500);
    expectFrequencies(logits, { topK: 50 }, softmax(logits)); // k > V keeps all
  });

  it('top-p keeps the smallest set reaching p, including the token that crosses p', () => {
    // probabilities 0.5, 0.25, 0.125, 0.125 exactly
    const exact = [0.5, 0.25, 0.125, 0.125].map(Math.log);
    // p exactly reaching a cumulative value: {0, 1} sums to 0.75 — the third token is not needed.
    expectFrequencies(exact, { topP: 0.75 }, [2 / 3, 1 / 3, 0, 0]);
    // p just above 0.5: token 0 alone does not reach it, so the crossing token 1 joins.
    expectFrequencies(exact, { topP: 0.5000001 }, [2 / 3, 1 / 3, 0, 0]);
    // p = 1 keeps everything.
    expectFrequencies(exact, { topP: 1 }, [0.5, 0.25, 0.125, 0.125]);
    // One token above p: the set is that token alone, never empty.
    expectFrequencies([Math.log(0.7), Math.log(0.2), Math.log(0.1)], { topP: 0.6 }, [1, 0, 0], 500);
    expectFrequencies(exact, { topP: 1e-6 }, [1, 0, 0, 0], 500);
  });

  it('top-p on an exact cumulative boundary does not depend on float rounding', () => {
    // 0.1 + 0.2 = 0.30000000000000004 > 0.3, while 0.7 + 0.2 + 0.1 sums to 0.9999999999999999 < 1.
    expect(Array.from(topPFilter([0.2, 0.1, 0.7], 0.9))).toEqual([
      expect.closeTo(0.2 / 0.9, 12),
      0,
      expect.closeTo(0.7 / 0.9, 12),
    ]);
    expect(Array.from(topPFilter([0.6, 0.3, 0.1], 0.9))).toEqual([
      expect.closeTo(2 / 3, 12),
      expect.closeTo(1 / 3, 12),
      0,
    ]);
  });

  it('top-k then top-p then temperature compose in that documented order', () => {
    // temperature first (on logits), then top-k 2, then top-p 0.6 on the renormalised pair.
    const t = softmax([2.0, 1.0].map((z) => z / 0.5)); // the two survivors of top-2
    const want = t[0] >= 0.6 ? [1, 0, 0, 0, 0] : [t[0], t[1], 0, 0, 0];
    expectFrequencies(logits, { temperature: 0.5, topK: 2, topP: 0.6 }, want, 2000);
  });

  it('repetition penalty divides positive and multiplies negative logits of seen tokens', () => {
    const z = [2, 1, -1];
    expectFrequencies(z, { repetitionPenalty: 2 }, softmax([1, 1, -2]), 20000, [0, 2, 2]);
  });
});

describe('bad decoding arguments are clear errors', () => {
  it('names the value and the valid range', () => {
    expect(() => nextTokenDistribution(logits, { topK: 0 })).toThrow('top-k must be an integer >= 1, got 0');
    expect(() => nextTokenDistribution(logits, { topP: 1.5 })).toThrow('top-p must be in (0, 1], got 1.5');
    expect(() => nextTokenDistribution(logits, { topP: 0 })).toThrow('top-p must be in (0, 1], got 0');
    expect(() => nextTokenDistribution(logits, { temperature: -1 })).toThrow(
      /temperature must be a finite number >= 0.*got -1/,
    );
    expect(() => nextTokenDistribution([0, NaN, 1])).toThrow(/logits must be finite, got NaN at token 1/);
    expect(() => nextTokenDistribution([0, Infinity])).toThrow(/got Infinity at token 1/);
    expect(() => nextTokenDistribution(logits, { repetitionPenalty: 0 })).toThrow(/repetition penalty.*got 0/);
  });
});

describe('entropy', () => {
  it('is log V for uniform and falls as temperature falls', () => {
    expect(entropyNats([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 12);
    const hs = [0.25, 0.5, 1, 2, 4].map((T) => entropyNats(nextTokenDistribution(logits, { temperature: T })));
    for (let i = 1; i < hs.length; i++) expect(hs[i]).toBeGreaterThan(hs[i - 1]);
    expect(hs[4]).toBeLessThan(Math.log(5));
  });
});
