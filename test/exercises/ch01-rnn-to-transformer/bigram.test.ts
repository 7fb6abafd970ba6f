// Tests of exercises/ch01-rnn-to-transformer/bigram.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { bigramProbability } from '@exercises/ch01-rnn-to-transformer/bigram';

describe('ch01 bigramProbability', () => {
  it('gives the worked example', () => {
    expect(bigramProbability('abab', 'a', 'b')).toBeCloseTo(1, 10);
    expect(bigramProbability('abab', 'a', 'b', 1)).toBeCloseTo(0.75, 10);
  });

  it('counts pairs side by side, not characters', () => {
    // "h" is followed by "e" twice and by "a" once.
    expect(bigramProbability('hehehaz', 'h', 'e')).toBeCloseTo(2 / 3, 10);
    expect(bigramProbability('hehehaz', 'h', 'a')).toBeCloseTo(1 / 3, 10);
    expect(bigramProbability('hehehaz', 'e', 'z')).toBe(0);
  });

  it('does not count the last character as followed by anything', () => {
    // "z" occurs twice but only the first is followed by something.
    expect(bigramProbability('zaz', 'z', 'a')).toBeCloseTo(1, 10);
    expect(bigramProbability('zaz', 'z', 'a', 1)).toBeCloseTo((1 + 1) / (1 + 2), 10);
    expect(bigramProbability('ab', 'b', 'a')).toBe(0);
  });

  it('smoothed probabilities after one character sum to 1 and are all positive', () => {
    const text = 'to be or not to be';
    const chars = [...new Set(text)];
    for (const prev of ['t', 'o', ' ']) {
      const ps = chars.map((c) => bigramProbability(text, prev, c, 0.5));
      expect(ps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(Math.min(...ps)).toBeGreaterThan(0);
    }
  });
});
