import { describe, expect, it } from 'vitest';
import { addTypos, cleanText, dedupeParagraphs, fitToVocabulary, Rng, sentencesToText } from '@how-llms-work/lib';

describe('text pipeline', () => {
  it('cleans line endings, trailing spaces, blank runs and Unicode forms', () => {
    expect(cleanText('a  \r\nb\r\n\r\n\r\n\r\nc\u0065\u0301 ')).toBe('a\nb\n\nc\u00e9\n');
  });

  it('removes repeated paragraphs regardless of case and spacing, keeping the first', () => {
    const r = dedupeParagraphs('To be.\n\nOr not.\n\nto   BE.\n\nOr not.');
    expect(r).toEqual({ text: 'To be.\n\nOr not.', removed: 2, kept: 2 });
  });

  it('fits text to a vocabulary and counts what it dropped', () => {
    expect(fitToVocabulary('café 42!', 'acf !')).toEqual({ text: 'caf !', dropped: 3 });
  });

  it('detokenizes word lists', () => {
    expect(
      sentencesToText([
        ['He', 'said', ',', '``', 'go', "''", '.'],
        ['Yes', '!'],
      ]),
    ).toBe('He said, "go".\nYes!');
  });

  it('adds seeded typos that keep the letters and length', () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    const noisy = addTypos(text, 0.2, new Rng(1));
    expect(noisy).not.toBe(text);
    expect(noisy).toHaveLength(text.length);
    expect([...noisy].sort().join('')).toBe([...text].sort().join(''));
    expect(addTypos(text, 0.2, new Rng(1))).toBe(noisy);
    expect(addTypos(text, 0, new Rng(1))).toBe(text);
    expect(() => addTypos(text, 2, new Rng(1))).toThrow('typo rate must be in [0, 1], got 2');
  });
});
