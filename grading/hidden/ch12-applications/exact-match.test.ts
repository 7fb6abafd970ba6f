// Hidden tests of exercises/ch12-applications/exact-match.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { exactMatchScore } from '@exercises/ch12-applications/exact-match';
import { Rng } from '@how-llms-work/lib';

describe('ch12 exactMatchScore', () => {
  it('drops upper-case articles and Unicode punctuation', () => {
    expect(exactMatchScore('THE «Beatles»', ['beatles'])).toBe(1);
    expect(exactMatchScore('An  apple—pie', ['apple pie'])).toBe(1);
  });
  it('keeps articles inside words and needs the words in order', () => {
    expect(exactMatchScore('banana', ['bnn'])).toBe(0);
    expect(exactMatchScore('tower eiffel', ['eiffel tower'])).toBe(0);
    expect(exactMatchScore('the', ['a'])).toBe(1); // both normalise to the empty string
  });
  it('throws without references', () => {
    expect(exactMatchScore('x', ['y', 'X'])).toBe(1);
    expect(() => exactMatchScore('x', [])).toThrow();
    expect(() => exactMatchScore('x', [])).not.toThrow(/TODO/);
  });
  it('on seeded random answers: case, punctuation, articles and spacing never matter, any other word does', () => {
    const rng = new Rng(1201);
    const words = ['paris', 'tower', 'river', 'blue', 'seven', 'king', 'north', 'été', '東京'];
    const noise = ['!', '.', ',', '"', '-', '?', '…', '«', '»', '$'];
    for (let trial = 0; trial < 40; trial++) {
      const answer = Array.from({ length: 1 + rng.int(4) }, () => words[rng.int(words.length)]);
      const messy = answer
        .map((w) => (rng.int(2) ? w.toUpperCase() : w) + (rng.int(2) ? noise[rng.int(noise.length)] : ''))
        .flatMap((w) => (rng.int(3) === 0 ? [['a', 'An', 'THE'][rng.int(3)], w] : [w]))
        .join(' '.repeat(1 + rng.int(3)));
      expect(exactMatchScore(`  ${messy} `, [answer.join(' ')])).toBe(1);
      expect(exactMatchScore(messy, ['nothing like it', answer.join(' ')])).toBe(1);
      expect(exactMatchScore(`${messy} extra`, [answer.join(' ')])).toBe(0);
    }
  });
});
