// Tests of exercises/ch02-tokenization/encode.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { encodeWithMerges } from '@exercises/ch02-tokenization/encode';
import { referenceTokenizer } from '../helpers';

const { reference, referenceMerges } = referenceTokenizer();

describe('ch02 encodeWithMerges', () => {
  it('returns the UTF-8 bytes when there are no merges', () => {
    expect(encodeWithMerges('hé😀', [])).toEqual([104, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('encodes the classic aaabdaaabac example', () => {
    expect(
      encodeWithMerges('aaabdaaabac', [
        [97, 97],
        [97, 98],
        [256, 257],
      ]),
    ).toEqual([258, 100, 258, 97, 99]);
  });

  it('applies the earliest-learned merge first, not the leftmost pair', () => {
    expect(
      encodeWithMerges('abc', [
        [98, 99],
        [97, 98],
      ]),
    ).toEqual([97, 256]);
    expect(
      encodeWithMerges('abc', [
        [97, 98],
        [98, 99],
      ]),
    ).toEqual([256, 99]);
  });

  it('chains merges that build on earlier merges', () => {
    // 't' + 'h' → 256, then 256 + 'e' → 257 ('the')
    expect(
      encodeWithMerges('the then', [
        [116, 104],
        [256, 101],
      ]),
    ).toEqual([257, 32, 257, 110]);
  });

  it("matches the library's tokenizer on real text", () => {
    const text = 'the rat sat on the cat. 我喜欢知识 😀 unbelievable';
    expect(encodeWithMerges(text, referenceMerges)).toEqual(reference.encode(text));
  });
});
