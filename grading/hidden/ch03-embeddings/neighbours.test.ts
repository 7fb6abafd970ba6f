// Hidden tests of exercises/ch03-embeddings/neighbours.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mostSimilar } from '@exercises/ch03-embeddings/neighbours';
import { Rng } from '@how-llms-work/lib';

describe('ch03 mostSimilar', () => {
  const vectors = { north: [0, 1], east: [1, 0], south: [0, -1], west: [-1, 0], northeast: [1, 1] };
  it('ranks by angle, putting the opposite word last', () => {
    const ranked = mostSimilar(vectors, 'north', 4);
    expect(ranked[0]).toBe('northeast');
    expect(ranked.slice(1, 3).sort()).toEqual(['east', 'west']);
    expect(ranked[3]).toBe('south');
    expect(mostSimilar(vectors, 'northeast', 2).sort()).toEqual(['east', 'north']);
  });
  it('returns every other word when k is large and none for k = 0', () => {
    expect(mostSimilar(vectors, 'west', 10).sort()).toEqual(['east', 'north', 'northeast', 'south']);
    expect(mostSimilar(vectors, 'west', 0)).toEqual([]);
  });
  it('on seeded random vectors: the k best by cosine, in order, never the word itself, unchanged by rescaling vectors', () => {
    const rng = new Rng(303);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const vectors: Record<string, number[]> = Object.fromEntries(
      words.map((w) => [w, Array.from({ length: 6 }, () => rng.normal())]),
    );
    const cos = (a: number[], b: number[]) =>
      a.reduce((s, x, i) => s + x * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
    for (const word of ['w0', 'w17', 'w39']) {
      const want = words
        .filter((w) => w !== word)
        .sort((a, b) => cos(vectors[word], vectors[b]) - cos(vectors[word], vectors[a]))
        .slice(0, 7);
      expect(mostSimilar(vectors, word, 7)).toEqual(want);
      const scaled = Object.fromEntries(Object.entries(vectors).map(([w, v], i) => [w, v.map((x) => x * (1 + i))]));
      expect(mostSimilar(scaled, word, 7)).toEqual(want);
    }
  });
});
