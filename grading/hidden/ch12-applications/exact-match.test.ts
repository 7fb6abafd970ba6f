// Hidden tests of exercises/ch12-applications/exact-match.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { exactMatchScore } from '@exercises/ch12-applications/exact-match';

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
});
