// Hidden tests of exercises/ch02-tokenization/pairs.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mostFrequentPair } from '@exercises/ch02-tokenization/pairs';

describe('ch02 mostFrequentPair', () => {
  it('returns null for a single id and counts overlapping pairs', () => {
    expect(mostFrequentPair([7])).toBeNull();
    expect(mostFrequentPair([1, 1, 1, 1, 2, 3, 2, 3])).toEqual([1, 1]);
  });
  it('breaks a tie toward the pair seen first', () => {
    expect(mostFrequentPair([3, 4, 1, 2])).toEqual([3, 4]);
  });
});
