import { describe, expect, it } from 'vitest';
import { brownCategories, brownSentences, loadBrown, parseBrownSample } from '@how-llms-work/lib';

describe('Brown corpus', () => {
  it('has 500 samples in 15 categories', () => {
    const cats = brownCategories();
    expect(Object.keys(cats)).toHaveLength(15);
    expect(Object.values(cats).reduce((a, b) => a + b, 0)).toBe(500);
  });

  it('parses word/tag tokens, splitting on the last slash', () => {
    const sentences = parseBrownSample('\n\n\tThe/at 1/2/cd inch/nn ./.\n\n\tOk/uh\n');
    expect(sentences).toEqual([
      [
        { word: 'The', tag: 'at' },
        { word: '1/2', tag: 'cd' },
        { word: 'inch', tag: 'nn' },
        { word: '.', tag: '.' },
      ],
      [{ word: 'Ok', tag: 'uh' }],
    ]);
  });

  it('loads one category with its tags, and plain lowercase sentences', async () => {
    const news = await loadBrown({ categories: ['news'] });
    expect(news).toHaveLength(brownCategories().news);
    expect(news.every((d) => d.category === 'news')).toBe(true);
    expect(news[0].sentences[0][0]).toEqual({ word: 'The', tag: 'at' });
    expect(brownSentences(news)[0].slice(0, 3)).toEqual(['the', 'fulton', 'county']);
  });

  it('rejects an unknown category and lists the real ones', async () => {
    await expect(loadBrown({ categories: ['sports'] })).rejects.toThrow(/Unknown Brown category "sports".*news/);
  });
});
