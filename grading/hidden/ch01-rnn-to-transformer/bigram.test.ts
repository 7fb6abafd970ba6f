// Hidden tests of exercises/ch01-rnn-to-transformer/bigram.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { bigramProbability } from '@exercises/ch01-rnn-to-transformer/bigram';

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
});
