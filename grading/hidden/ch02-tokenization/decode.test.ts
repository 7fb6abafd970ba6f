// Hidden tests of exercises/ch02-tokenization/decode.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { decodeIds } from '@exercises/ch02-tokenization/decode';
import { BpeTokenizer, Rng, trainBpe } from '@how-llms-work/lib';
import { randomText } from '../../../test/exercises/helpers';

describe('ch02 decodeIds', () => {
  it('turns a lone continuation byte into U+FFFD and names a bad id', () => {
    expect(decodeIds([195], [])).toBe('\uFFFD');
    expect(() => decodeIds([999], [])).toThrow(/999/);
  });

  it('decodes 40 seeded random id sequences (tokens that split characters included) as the library does', () => {
    const rng = new Rng(31);
    const merges = trainBpe(randomText(rng, 400), { vocabSize: 256 + 70, pattern: null }).merges.map(
      (m) => [...m.pair] as [number, number],
    );
    const tokenizer = new BpeTokenizer({ merges, pattern: null });
    for (let k = 0; k < 40; k++) {
      const ids = Array.from({ length: rng.int(20) }, () => rng.int(256 + merges.length));
      expect(decodeIds(ids, merges), JSON.stringify(ids)).toBe(tokenizer.decode(ids));
    }
  });

  it('joins the bytes of all tokens before decoding: an emoji split over three tokens comes back whole', () => {
    const bytes = Array.from(new TextEncoder().encode('🚀'));
    expect(decodeIds([bytes[0], bytes[1], bytes[2], bytes[3]], [])).toBe('🚀');
    expect(
      decodeIds(
        [256, 257],
        [
          [bytes[0], bytes[1]],
          [bytes[2], bytes[3]],
        ],
      ),
    ).toBe('🚀');
    expect(() =>
      decodeIds(
        [258],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow(/258/);
  });
});
