// Chapter 2, hidden: trainBpe against the library's trainer on seeded random corpora, with round trips and properties.
import { describe, expect, it } from 'vitest';
import { trainBpe } from '@exercises/ch02-tokenization/train-bpe';
import { BpeTokenizer, Rng, trainBpe as libraryTrainBpe } from '@how-llms-work/lib';
import { randomText } from '../../../test/exercises/helpers';

const libraryMerges = (text: string, vocabSize: number) =>
  libraryTrainBpe(text, { vocabSize, pattern: null }).merges.map((m) => [...m.pair]);

describe('ch02 trainBpe', () => {
  it("learns the library's merges, merge for merge, on 10 seeded random corpora (ties, emoji, lone surrogates)", () => {
    const rng = new Rng(20);
    for (let k = 0; k < 10; k++) {
      const text = randomText(rng, 20 + rng.int(200));
      const vocabSize = 256 + rng.int(60);
      expect(
        trainBpe(text, vocabSize),
        `corpus ${k}: ${JSON.stringify(text.slice(0, 40))}…, vocabSize ${vocabSize}`,
      ).toEqual(libraryMerges(text, vocabSize));
    }
  });

  it('breaks ties as the library does: the smallest pair (a, b) among the most frequent', () => {
    // Every pair occurs exactly twice: the order of the merges is decided by ties alone.
    for (const text of ['dcba dcba', 'zyxzyx', 'ba ab ba ab', '\u00ff\u00fe\u00ff\u00fe']) {
      expect(trainBpe(text, 270), JSON.stringify(text)).toEqual(libraryMerges(text, 270));
    }
  });

  it('round-trips 30 seeded random strings, lone surrogates becoming U+FFFD as in the library', () => {
    const rng = new Rng(21);
    const corpus = randomText(rng, 400);
    const merges = trainBpe(corpus, 256 + 80);
    const tokenizer = new BpeTokenizer({ merges, pattern: null });
    // What UTF-8 can hold of s: every lone surrogate replaced by U+FFFD.
    const wellFormed = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s));
    for (let k = 0; k < 30; k++) {
      const s = randomText(rng, rng.int(30));
      expect(tokenizer.decode(tokenizer.encode(s))).toBe(wellFormed(s));
    }
    expect(wellFormed('a\uD800b')).toBe('a\uFFFDb');
  });

  it('makes merges that only use ids that exist, each one shortening the training text', () => {
    const rng = new Rng(22);
    const text = randomText(rng, 300);
    const merges = trainBpe(text, 256 + 50);
    merges.forEach(([a, b], i) => {
      expect(a).toBeLessThan(256 + i);
      expect(b).toBeLessThan(256 + i);
    });
    let previous = new TextEncoder().encode(text).length;
    for (let n = 1; n <= merges.length; n += 7) {
      const length = new BpeTokenizer({ merges: merges.slice(0, n), pattern: null }).encode(text).length;
      expect(length).toBeLessThan(previous);
      previous = length;
    }
  });

  it('respects the vocabulary size exactly and the rule "a pair seen once teaches nothing"', () => {
    const text = 'abcabcabc xyz';
    expect(trainBpe(text, 256)).toEqual([]);
    expect(trainBpe(text, 257)).toHaveLength(1);
    const all = trainBpe(text, 1000);
    expect(all).toEqual(libraryMerges(text, 1000));
    expect(all.length).toBeLessThan(10);
    expect(() => trainBpe(text, 255.5)).toThrow(/255.5/);
  });

  it("learns the library's 100 merges of a corpus of 6,000 random pieces", () => {
    const text = randomText(new Rng(23), 6000);
    expect(trainBpe(text, 256 + 100)).toEqual(libraryMerges(text, 256 + 100));
  });
});
