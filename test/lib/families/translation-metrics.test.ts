// BLEU and chrF against hand-computed values from their published definitions, an independent float64 formula
// written here, and the values sacreBLEU prints for the examples of the Hugging Face chrF metric card.
import { describe, expect, it } from 'vitest';
import { chrF, corpusBleu, exactMatchRate } from '@how-llms-work/lib';

describe('corpusBleu', () => {
  it('scores "the cat sat on the mat" against "the cat is on the mat" by hand', () => {
    // 1-grams 5/6, 2-grams 3/5, 3-grams 1/4, 4-grams 0/3 → smoothed 1/(2·3); equal lengths, no brevity penalty.
    const want = 100 * Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6), 1 / 4);
    const got = corpusBleu(['the cat sat on the mat'], ['the cat is on the mat']);
    expect(got.score).toBeCloseTo(want, 10);
    [5 / 6, 3 / 5, 1 / 4, 1 / 6].forEach((p, n) => expect(got.precisions[n] / 100).toBeCloseTo(p, 12));
    expect(got.brevityPenalty).toBe(1);
    expect(corpusBleu(['the cat sat on the mat'], ['the cat is on the mat'], { smooth: 'none' }).score).toBe(0);
  });

  it('applies the brevity penalty exp(1 − r/c) to a short hypothesis', () => {
    const got = corpusBleu(['the cat sat on'], ['the cat sat on the mat']);
    expect(got.brevityPenalty).toBeCloseTo(Math.exp(1 - 6 / 4), 12);
    expect(got.score).toBeCloseTo(100 * Math.exp(1 - 6 / 4), 10);
  });

  it('pools n-gram counts over the corpus (not a mean of sentence scores), clipping repeats', () => {
    const hyps = ['ka miru sola ne kaval vetan', 'ne ne ne ne', 'ka pelo lupo amar'];
    const refs = ['ka miru sola ne kaval vetan', 'ne tipo amar ka nami', 'ka pelo ne lupo amar'];
    // Independent formula: n-grams as strings, counted with objects.
    const grams = (ws: string[], n: number) => {
      const c: Record<string, number> = {};
      for (let i = 0; i + n <= ws.length; i++)
        c[ws.slice(i, i + n).join(' ')] = (c[ws.slice(i, i + n).join(' ')] ?? 0) + 1;
      return c;
    };
    let logSum = 0;
    let k = 0;
    for (let n = 1; n <= 4; n++) {
      let m = 0;
      let t = 0;
      hyps.forEach((h, i) => {
        const hg = grams(h.split(' '), n);
        const rg = grams(refs[i].split(' '), n);
        for (const g in hg) m += Math.min(hg[g], rg[g] ?? 0);
        t += Object.values(hg).reduce((a, b) => a + b, 0);
      });
      const p = m > 0 ? m / t : 1 / (2 ** ++k * t);
      logSum += Math.log(p);
    }
    const c = 6 + 4 + 4;
    const r = 6 + 5 + 5;
    const want = 100 * Math.exp(1 - r / c) * Math.exp(logSum / 4);
    expect(corpusBleu(hyps, refs).score).toBeCloseTo(want, 9);
    expect(corpusBleu(refs, refs).score).toBeCloseTo(100, 10);
  });

  it('rejects mismatched lists', () => {
    expect(() => corpusBleu(['a'], ['a', 'b'])).toThrow(/1 hypotheses and 2 references/);
  });
});

describe('chrF', () => {
  it('matches sacreBLEU on the chrF metric card examples', () => {
    expect(
      chrF(
        ['The relationship between Obama and Netanyahu is not exactly friendly.'],
        ['The ties between Obama and Netanyahu are not particularly friendly.'],
      ),
    ).toBeCloseTo(61.576379378113785, 9);
    expect(
      chrF(
        [
          'The relationship between cats and dogs is not exactly friendly.',
          'a good bookshop is just a genteel black hole that knows how to read.',
        ],
        [
          'The relationship between dogs and cats is not exactly friendly.',
          'A good bookshop is just a genteel Black Hole that knows how to read.',
        ],
      ),
    ).toBeCloseTo(84.64214891738334, 9);
  });

  it('equals the published formula computed here by hand on a short pair', () => {
    // "ab c" vs "abd": whitespace removed → "abc" vs "abd".
    // n=1: hyp {a,b,c}, ref {a,b,d}: 2 matches of 3 and 3; n=2: {ab,bc} vs {ab,bd}: 1 of 2 and 2; n=3: 0 of 1 and 1.
    // Orders 4–6: neither side has any, so they do not count.
    const P = (2 / 3 + 1 / 2 + 0) / 3;
    const R = (2 / 3 + 1 / 2 + 0) / 3;
    expect(chrF(['ab c'], ['abd'])).toBeCloseTo((100 * 5 * P * R) / (4 * P + R), 12);
    expect(chrF(['xyz'], ['abc'])).toBe(0);
    expect(chrF(['same text'], ['same text'])).toBeCloseTo(100, 12);
  });
});

describe('exactMatchRate', () => {
  it('counts sentences equal to their reference', () => {
    expect(exactMatchRate(['a b', 'a  c ', 'd'], ['a b', 'a c', 'e'])).toBeCloseTo(2 / 3, 12);
  });
});
