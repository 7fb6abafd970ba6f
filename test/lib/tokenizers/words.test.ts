import { describe, expect, it } from 'vitest';
import { UNKNOWN_WORD, WordTokenizer, splitWords } from '@how-llms-work/lib';

describe('splitWords', () => {
  it('splits English on whitespace and punctuation, keeping contractions and hyphenated words whole', () => {
    expect(splitWords("Don't panic: it's well-known, 3.14 times!")).toEqual([
      "Don't",
      'panic',
      ':',
      "it's",
      'well-known',
      ',',
      '3.14',
      'times',
      '!',
    ]);
  });

  it('finds no words in Chinese without a locale, and real words with one', () => {
    // No spaces: the whole sentence is one "word" to a whitespace splitter.
    expect(splitWords('我喜欢学习新知识')).toEqual(['我喜欢学习新知识']);
    const words = splitWords('我喜欢学习新知识。', { locale: 'zh' });
    expect(words.join('')).toBe('我喜欢学习新知识。');
    expect(words.length).toBeGreaterThanOrEqual(4);
    expect(words).toContain('喜欢');
    expect(words).toContain('学习');
  });

  it('segments English the same way with a locale, minus whitespace', () => {
    expect(splitWords('the cat sat.', { locale: 'en' })).toEqual(['the', 'cat', 'sat', '.']);
  });

  it('says which locale is malformed', () => {
    expect(() => splitWords('x', { locale: 'not a locale!' })).toThrow(/"not a locale!" is not a valid BCP 47 tag/);
  });
});

describe('WordTokenizer', () => {
  const corpus = 'the cat sat on the mat . the dog sat on the log .';

  it('orders the vocabulary by frequency with <unk> at id 0', () => {
    const tok = WordTokenizer.fromText(corpus);
    expect(tok.words[0]).toBe(UNKNOWN_WORD);
    expect(tok.words.slice(1, 5)).toEqual(['the', '.', 'on', 'sat']);
    expect(tok.vocabSize).toBe(9);
  });

  it('maps unseen words to <unk> and reports how many', () => {
    const tok = WordTokenizer.fromText(corpus);
    const ids = tok.encode('the bird sat');
    expect(ids[1]).toBe(0);
    expect(tok.decode(ids)).toBe('the <unk> sat');
    expect(tok.unknownRate('the bird sat')).toBeCloseTo(1 / 3);
    expect(tok.unknownRate('')).toBe(0);
  });

  it('caps the vocabulary with maxVocab and minCount', () => {
    expect(WordTokenizer.fromText(corpus, { maxVocab: 2 }).words).toEqual([UNKNOWN_WORD, 'the', '.']);
    expect(WordTokenizer.fromText(corpus, { minCount: 2 }).words).toEqual([UNKNOWN_WORD, 'the', '.', 'on', 'sat']);
  });

  it('tokenizes Chinese by words and decodes without spaces', () => {
    const tok = WordTokenizer.fromText('我喜欢学习。我喜欢新知识。', { locale: 'zh' });
    const ids = tok.encode('我喜欢学习新知识');
    expect(ids).not.toContain(0);
    expect(tok.decode(ids)).toBe('我喜欢学习新知识');
  });

  it('rejects ids outside the vocabulary', () => {
    const tok = WordTokenizer.fromText(corpus);
    expect(() => tok.decode([99])).toThrow(/token id 99 is out of range/);
  });
});
