// Hidden tests of exercises/ch02-tokenization/merge.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mergePair } from '@exercises/ch02-tokenization/merge';

describe('ch02 mergePair', () => {
  it('merges left to right without overlaps and leaves its input alone', () => {
    const ids = [1, 2, 1, 2, 1];
    expect(mergePair(ids, [1, 2], 300)).toEqual([300, 300, 1]);
    expect(ids).toEqual([1, 2, 1, 2, 1]);
  });
});
