// Hidden tests of exercises/ch03-embeddings/neighbours.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mostSimilar } from '@exercises/ch03-embeddings/neighbours';

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
});
