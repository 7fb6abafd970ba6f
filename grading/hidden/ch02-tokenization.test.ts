// Chapter 2 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mostFrequentPair } from '@exercises/ch02-tokenization/pairs';
import { mergePair } from '@exercises/ch02-tokenization/merge';
import { encodeWithMerges } from '@exercises/ch02-tokenization/encode';
import { decodeIds } from '@exercises/ch02-tokenization/decode';

describe('ch02 mostFrequentPair', () => {
  it('returns null for a single id and counts overlapping pairs', () => {
    expect(mostFrequentPair([7])).toBeNull();
    expect(mostFrequentPair([1, 1, 1, 1, 2, 3, 2, 3])).toEqual([1, 1]);
  });
  it('breaks a tie toward the pair seen first', () => {
    expect(mostFrequentPair([3, 4, 1, 2])).toEqual([3, 4]);
  });
});

describe('ch02 mergePair', () => {
  it('merges left to right without overlaps and leaves its input alone', () => {
    const ids = [1, 2, 1, 2, 1];
    expect(mergePair(ids, [1, 2], 300)).toEqual([300, 300, 1]);
    expect(ids).toEqual([1, 2, 1, 2, 1]);
  });
});

describe('ch02 encodeWithMerges', () => {
  it('encodes the empty string and multi-byte characters as bytes', () => {
    expect(encodeWithMerges('', [[97, 97]])).toEqual([]);
    expect(encodeWithMerges('é', [])).toEqual([195, 169]);
  });
});

describe('ch02 decodeIds', () => {
  it('turns a lone continuation byte into U+FFFD and names a bad id', () => {
    expect(decodeIds([195], [])).toBe('\uFFFD');
    expect(() => decodeIds([999], [])).toThrow(/999/);
  });
});
