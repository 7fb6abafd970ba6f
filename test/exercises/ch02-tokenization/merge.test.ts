// Tests of exercises/ch02-tokenization/merge.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { mergePair } from '@exercises/ch02-tokenization/merge';

describe('ch02 mergePair', () => {
  it('replaces every occurrence of the pair', () => {
    expect(mergePair([5, 6, 6, 7, 5, 6], [5, 6], 99)).toEqual([99, 6, 7, 99]);
  });

  it('scans left to right without overlaps', () => {
    expect(mergePair([1, 1, 1], [1, 1], 9)).toEqual([9, 1]);
    expect(mergePair([1, 1, 1, 1], [1, 1], 9)).toEqual([9, 9]);
  });

  it('leaves sequences without the pair, and its input, unchanged', () => {
    const ids = [1, 2, 3];
    expect(mergePair(ids, [3, 1], 7)).toEqual([1, 2, 3]);
    expect(mergePair(ids, [1, 2], 7)).toEqual([7, 3]);
    expect(ids).toEqual([1, 2, 3]);
  });

  it('handles the empty and one-id sequences', () => {
    expect(mergePair([], [1, 2], 3)).toEqual([]);
    expect(mergePair([1], [1, 2], 3)).toEqual([1]);
  });
});
