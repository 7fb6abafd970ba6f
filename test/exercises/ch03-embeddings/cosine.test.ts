// Tests of exercises/ch03-embeddings/cosine.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { cosine } from '@exercises/ch03-embeddings/cosine';

describe('ch03 cosine', () => {
  it('gives the worked example', () => {
    expect(cosine([3, 4], [4, 3])).toBeCloseTo(0.96, 10);
  });

  it('is 1, 0 and −1 for parallel, orthogonal and opposite vectors, whatever their lengths', () => {
    expect(cosine([1, 2, 3], [10, 20, 30])).toBeCloseTo(1, 10);
    expect(cosine([1, 0, 0], [0, 5, 0])).toBeCloseTo(0, 10);
    expect(cosine([2, -1], [-4, 2])).toBeCloseTo(-1, 10);
  });

  it('is not the plain dot product', () => {
    expect(cosine([2, 0], [3, 3])).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('refuses different widths and zero vectors', () => {
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 10);
    expect(() => cosine([1, 2], [1, 2, 3])).toThrow();
    expect(() => cosine([0, 0], [1, 1])).toThrow();
  });
});
