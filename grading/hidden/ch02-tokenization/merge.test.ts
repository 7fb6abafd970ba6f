// Hidden tests of exercises/ch02-tokenization/merge.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mergePair } from '@exercises/ch02-tokenization/merge';
import { mergePairInPlace, Rng } from '@how-llms-work/lib';

describe('ch02 mergePair', () => {
  it('merges left to right without overlaps and leaves its input alone', () => {
    const ids = [1, 2, 1, 2, 1];
    expect(mergePair(ids, [1, 2], 300)).toEqual([300, 300, 1]);
    expect(ids).toEqual([1, 2, 1, 2, 1]);
  });

  it("merges 50 seeded random sequences as the library's mergePairInPlace does (runs, overlaps, absent pairs)", () => {
    const rng = new Rng(32);
    for (let k = 0; k < 50; k++) {
      const ids = Array.from({ length: rng.int(30) }, () => rng.int(4));
      const pair: [number, number] = [rng.int(4), rng.int(4)];
      const copy = [...ids];
      expect(mergePair(ids, pair, 99), JSON.stringify({ ids, pair })).toEqual(
        mergePairInPlace([...ids], pair[0], pair[1], 99),
      );
      expect(ids).toEqual(copy);
    }
  });
});
