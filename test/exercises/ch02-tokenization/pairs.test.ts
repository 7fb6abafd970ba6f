// Tests of exercises/ch02-tokenization/pairs.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { mostFrequentPair } from '@exercises/ch02-tokenization/pairs';
import { referenceTokenizer } from '../helpers';

const { corpus, referenceMerges } = referenceTokenizer();

const bytesOf = (text: string) => Array.from(new TextEncoder().encode(text));

describe('ch02 mostFrequentPair', () => {
  it('finds the most frequent adjacent pair', () => {
    expect(mostFrequentPair([1, 2, 3, 1, 2])).toEqual([1, 2]);
    expect(mostFrequentPair([7, 3, 4, 3, 4, 3, 4, 7])).toEqual([3, 4]);
  });

  it('breaks ties by first occurrence', () => {
    expect(mostFrequentPair([5, 6, 7, 8])).toEqual([5, 6]);
    expect(mostFrequentPair([9, 8, 1, 2, 1, 2, 9, 8])).toEqual([9, 8]);
  });

  it('counts overlapping pairs', () => {
    // (1, 1) occurs twice in 1 1 1, beating (2, 3) once.
    expect(mostFrequentPair([2, 3, 1, 1, 1])).toEqual([1, 1]);
  });

  it('returns null when there is no pair', () => {
    expect(mostFrequentPair([])).toBeNull();
    expect(mostFrequentPair([42])).toBeNull();
  });

  it("picks the library's first merge on real text", () => {
    expect(mostFrequentPair(bytesOf(corpus))).toEqual([...referenceMerges[0]]);
  });
});
