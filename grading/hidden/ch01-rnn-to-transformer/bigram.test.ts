// Hidden tests of exercises/ch01-rnn-to-transformer/bigram.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { bigramProbability } from '@exercises/ch01-rnn-to-transformer/bigram';
import { Rng } from '@how-llms-work/lib';

describe('ch01 bigramProbability', () => {
  it('counts characters, not UTF-16 code units', () => {
    // V = 2 distinct characters (😀 and a); 😀 is followed once by 😀 and once by a.
    expect(bigramProbability('😀😀a', '😀', 'a')).toBeCloseTo(0.5, 10);
    expect(bigramProbability('😀😀a', '😀', '😀', 1)).toBeCloseTo((1 + 1) / (2 + 1 * 2), 10);
  });
  it('gives 0, not NaN, after a character never followed, and α / (α·V) once smoothed', () => {
    expect(bigramProbability('xyz', 'z', 'x')).toBe(0);
    expect(bigramProbability('xyz', 'q', 'x')).toBe(0);
    expect(bigramProbability('xyz', 'z', 'x', 2)).toBeCloseTo(2 / (2 * 3), 10);
  });
  it('unsmoothed probabilities after a seen character sum to 1', () => {
    const text = 'mississippi';
    const chars = [...new Set(text)];
    for (const prev of ['m', 's', 'p']) {
      expect(chars.map((c) => bigramProbability(text, prev, c)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    }
  });
  it('on seeded random text: counts match a brute-force count, and with α > 0 the V probabilities after each character sum to 1', () => {
    const rng = new Rng(102);
    const alphabet = 'abcde ';
    for (let trial = 0; trial < 4; trial++) {
      const text = Array.from({ length: 40 + rng.int(60) }, () => alphabet[rng.int(alphabet.length)]).join('');
      const chars = [...new Set(text)];
      for (const prev of chars) {
        let followed = 0;
        for (let i = 0; i + 1 < text.length; i++) if (text[i] === prev) followed++;
        for (const next of chars) {
          let pair = 0;
          for (let i = 0; i + 1 < text.length; i++) if (text[i] === prev && text[i + 1] === next) pair++;
          expect(bigramProbability(text, prev, next)).toBeCloseTo(followed === 0 ? 0 : pair / followed, 12);
        }
        const alpha = 0.5 + rng.int(3);
        const total = chars.reduce((s, next) => s + bigramProbability(text, prev, next, alpha), 0);
        expect(total).toBeCloseTo(1, 10);
      }
    }
  });
});
