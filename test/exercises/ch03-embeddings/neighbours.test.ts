// Tests of exercises/ch03-embeddings/neighbours.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { mostSimilar } from '@exercises/ch03-embeddings/neighbours';

describe('ch03 mostSimilar', () => {
  const vectors = { cat: [1, 0], dog: [0.9, 0.1], kitten: [3, 0.2], car: [0, 1], bus: [-0.1, 2] };

  it('gives the worked example', () => {
    expect(mostSimilar({ cat: [1, 0], dog: [0.9, 0.1], car: [0, 1] }, 'cat', 1)).toEqual(['dog']);
  });

  it('ranks by cosine, not by dot product or distance', () => {
    // kitten is far from cat in distance but closest in angle; dog is nearest by distance.
    expect(mostSimilar(vectors, 'cat', 2)).toEqual(['kitten', 'dog']);
    expect(mostSimilar(vectors, 'car', 1)).toEqual(['bus']);
  });

  it('never returns the word itself and returns k words', () => {
    const near = mostSimilar(vectors, 'dog', 4);
    expect(near).toHaveLength(4);
    expect(near).not.toContain('dog');
    expect(near.slice(0, 2)).toEqual(['kitten', 'cat']);
  });

  it('names a word that has no vector', () => {
    expect(mostSimilar(vectors, 'bus', 1)).toEqual(['car']);
    expect(() => mostSimilar(vectors, 'horse', 1)).toThrow(/horse/);
  });
});
