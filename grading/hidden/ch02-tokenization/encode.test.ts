// Hidden tests of exercises/ch02-tokenization/encode.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { encodeWithMerges } from '@exercises/ch02-tokenization/encode';
import { BpeTokenizer, Rng, trainBpe } from '@how-llms-work/lib';
import { randomText } from '../../../test/exercises/helpers';

describe('ch02 encodeWithMerges', () => {
  it('encodes the empty string and multi-byte characters as bytes', () => {
    expect(encodeWithMerges('', [[97, 97]])).toEqual([]);
    expect(encodeWithMerges('é', [])).toEqual([195, 169]);
  });

  it("encodes 40 seeded random strings as the library's tokenizer does with the same merges (emoji, CJK, lone surrogates)", () => {
    const rng = new Rng(30);
    const corpus = randomText(rng, 400);
    const merges = trainBpe(corpus, { vocabSize: 256 + 70, pattern: null }).merges.map(
      (m) => [...m.pair] as [number, number],
    );
    const tokenizer = new BpeTokenizer({ merges, pattern: null });
    for (let k = 0; k < 40; k++) {
      const s = randomText(rng, rng.int(40));
      expect(encodeWithMerges(s, merges), JSON.stringify(s)).toEqual(tokenizer.encode(s));
    }
  });

  it('applies merges by rank, not by position: a later merge never fires before an earlier one', () => {
    // 'abc' with (b, c) learned first must become [a, bc], whatever comes first in the text.
    const merges: [number, number][] = [
      [98, 99],
      [97, 98],
      [97, 256],
    ];
    expect(encodeWithMerges('abc', merges)).toEqual([258]);
    expect(encodeWithMerges('ab', merges)).toEqual([257]);
    expect(encodeWithMerges('abcab', merges)).toEqual(new BpeTokenizer({ merges, pattern: null }).encode('abcab'));
  });
});
