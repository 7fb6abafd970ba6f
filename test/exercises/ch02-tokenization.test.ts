// Chapter 2 exercises: the four pieces of byte-level BPE. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { mostFrequentPair } from '@exercises/ch02-tokenization/pairs';
import { mergePair } from '@exercises/ch02-tokenization/merge';
import { encodeWithMerges } from '@exercises/ch02-tokenization/encode';
import { decodeIds } from '@exercises/ch02-tokenization/decode';
import { Rng, trainBpe } from '@how-llms-work/lib';

const bytesOf = (text: string) => Array.from(new TextEncoder().encode(text));

// A reference tokenizer from the library, to check the exercises on text nobody worked out by hand.
const corpus = 'the cat sat on the mat; the cat ate the rat. 我喜欢学习新知识 😀😀 unbelievable believable '.repeat(20);
const reference = trainBpe(corpus, { vocabSize: 256 + 60, pattern: null });
const referenceMerges = reference.merges.map((m) => m.pair);

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

describe('ch02 encodeWithMerges', () => {
  it('returns the UTF-8 bytes when there are no merges', () => {
    expect(encodeWithMerges('hé😀', [])).toEqual([104, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('encodes the classic aaabdaaabac example', () => {
    expect(encodeWithMerges('aaabdaaabac', [[97, 97], [97, 98], [256, 257]])).toEqual([258, 100, 258, 97, 99]);
  });

  it('applies the earliest-learned merge first, not the leftmost pair', () => {
    expect(encodeWithMerges('abc', [[98, 99], [97, 98]])).toEqual([97, 256]);
    expect(encodeWithMerges('abc', [[97, 98], [98, 99]])).toEqual([256, 99]);
  });

  it('chains merges that build on earlier merges', () => {
    // 't' + 'h' → 256, then 256 + 'e' → 257 ('the')
    expect(encodeWithMerges('the then', [[116, 104], [256, 101]])).toEqual([257, 32, 257, 110]);
  });

  it("matches the library's tokenizer on real text", () => {
    const text = 'the rat sat on the cat. 我喜欢知识 😀 unbelievable';
    expect(encodeWithMerges(text, referenceMerges)).toEqual(reference.encode(text));
  });
});

describe('ch02 decodeIds', () => {
  it('decodes raw bytes', () => {
    expect(decodeIds([104, 105], [])).toBe('hi');
  });

  it('expands merged tokens into their bytes', () => {
    expect(decodeIds([258, 100, 258, 97, 99], [[97, 97], [97, 98], [256, 257]])).toBe('aaabdaaabac');
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
