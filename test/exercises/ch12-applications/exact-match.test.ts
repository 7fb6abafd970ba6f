// Tests of exercises/ch12-applications/exact-match.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { exactMatchScore } from '@exercises/ch12-applications/exact-match';

describe('ch12 exactMatchScore', () => {
  it('matches after lower-casing and dropping punctuation', () => {
    expect(exactMatchScore('The Eiffel-Tower!', ['eiffel tower'])).toBe(1);
    expect(exactMatchScore('PARIS.', ['paris'])).toBe(1);
  });

  it('drops whole-word articles only, and collapses whitespace', () => {
    expect(exactMatchScore('  an   apple ', ['Apple'])).toBe(1);
    expect(exactMatchScore('theatre', ['atre'])).toBe(0);
    expect(exactMatchScore('Anne', ['ne'])).toBe(0);
  });

  it('needs the whole answer, against any of several references', () => {
    expect(exactMatchScore('Eiffel', ['Eiffel Tower'])).toBe(0);
    expect(exactMatchScore('1889', ['in 1889', '1889'])).toBe(1);
    expect(exactMatchScore('1888', ['in 1889', '1889'])).toBe(0);
  });

  it('treats symbols as punctuation too', () => {
    expect(exactMatchScore('$5 + tax', ['5 tax'])).toBe(1);
  });
});
