// Chapter 2: training byte-level BPE, merge for merge against the library's trainer.
import { describe, expect, it } from 'vitest';
import { trainBpe } from '@exercises/ch02-tokenization/train-bpe';
import { BpeTokenizer, trainBpe as libraryTrainBpe } from '@how-llms-work/lib';

const libraryMerges = (text: string, vocabSize: number) =>
  libraryTrainBpe(text, { vocabSize, pattern: null }).merges.map((m) => [...m.pair]);

describe('ch02 trainBpe', () => {
  it('computes the worked example', () => {
    expect(trainBpe('aaabdaaabac', 259)).toEqual([
      [97, 97],
      [97, 98],
      [256, 257],
    ]);
  });

  it("learns the library's merges on a mixed corpus (English, Chinese, emoji)", () => {
    const text = 'the cat sat on the mat; the cat ate the rat. 我喜欢学习新知识 😀😀 unbelievable believable '.repeat(
      5,
    );
    expect(trainBpe(text, 256 + 40)).toEqual(libraryMerges(text, 256 + 40));
  });

  it('stops early when no pair occurs twice, and names a vocabulary smaller than the bytes', () => {
    expect(trainBpe('abcdef', 300)).toEqual([]);
    expect(trainBpe('abababab', 300)).toEqual([
      [97, 98],
      [256, 256],
    ]);
    expect(() => trainBpe('abc', 200)).toThrow(/200/);
  });

  it('round-trips any string through encode and decode with its merges', () => {
    const text = 'naïve café — 東京 🚀🚀 ok ok ok '.repeat(4);
    const tokenizer = new BpeTokenizer({ merges: trainBpe(text, 256 + 30), pattern: null });
    for (const s of [text, 'café 🚀 東', '', 'z'.repeat(9)]) expect(tokenizer.decode(tokenizer.encode(s))).toBe(s);
  });
});
