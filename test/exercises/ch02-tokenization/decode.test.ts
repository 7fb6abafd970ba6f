// Tests of exercises/ch02-tokenization/decode.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { decodeIds } from '@exercises/ch02-tokenization/decode';
import { Rng } from '@how-llms-work/lib';
import { referenceTokenizer } from '../helpers';

const { corpus, reference, referenceMerges } = referenceTokenizer();

describe('ch02 decodeIds', () => {
  it('decodes raw bytes', () => {
    expect(decodeIds([104, 105], [])).toBe('hi');
  });

  it('expands merged tokens into their bytes', () => {
    expect(
      decodeIds(
        [258, 100, 258, 97, 99],
        [
          [97, 97],
          [97, 98],
          [256, 257],
        ],
      ),
    ).toBe('aaabdaaabac');
  });

  it('decodes a character whose bytes span tokens', () => {
    expect(decodeIds([256, 152, 128], [[240, 159]])).toBe('😀');
    expect(decodeIds([0xe6, 0x88, 0x91], [])).toBe('我');
  });

  it('turns invalid UTF-8 into U+FFFD', () => {
    expect(decodeIds([0xe6, 0x88], [])).toBe('\uFFFD');
    expect(decodeIds([104, 0xff, 105], [])).toBe('h\uFFFDi');
  });

  it('rejects ids outside the vocabulary, naming the id', () => {
    expect(() => decodeIds([97, 257], [[97, 97]])).toThrow(/257/);
    expect(() => decodeIds([-1], [])).toThrow(/-1/);
  });

  it("inverts the library's encoding on real text (seeded fuzz)", () => {
    const rng = new Rng(2);
    for (let i = 0; i < 20; i++) {
      const start = rng.int(corpus.length - 40);
      const text = corpus.slice(start, start + 1 + rng.int(39));
      expect(decodeIds(reference.encode(text), referenceMerges)).toBe(text);
    }
  });
});
