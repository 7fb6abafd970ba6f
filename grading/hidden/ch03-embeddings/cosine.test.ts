// Hidden tests of exercises/ch03-embeddings/cosine.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { cosine } from '@exercises/ch03-embeddings/cosine';
import { randomVector, dot } from '../../../test/exercises/helpers';
import { cosineSimilarity, Rng } from '@how-llms-work/lib';

describe('ch03 cosine', () => {
  it('agrees with u·v / (‖u‖‖v‖), is symmetric, and flips sign with −v', () => {
    const [u, v] = [randomVector(7, 31), randomVector(7, 32)];
    const want = dot(u, v) / Math.sqrt(dot(u, u) * dot(v, v));
    expect(cosine(u, v)).toBeCloseTo(want, 10);
    expect(cosine(v, u)).toBeCloseTo(want, 10);
    expect(
      cosine(
        u,
        v.map((x) => -3 * x),
      ),
    ).toBeCloseTo(-want, 10);
  });
  it('handles width 1 and refuses a zero second vector', () => {
    expect(cosine([-3], [2])).toBeCloseTo(-1, 10);
    expect(() => cosine([1, 2], [0, 0])).toThrow();
    expect(() => cosine([1, 2], [0, 0])).not.toThrow(/TODO/);
  });
  it("equals the library's cosine on seeded random vectors, and ignores each vector's length and is symmetric", () => {
    const rng = new Rng(301);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.int(30);
      const u = Array.from({ length: n }, () => rng.normal());
      const v = Array.from({ length: n }, () => rng.normal());
      const c = cosine(u, v);
      expect(c).toBeCloseTo(cosineSimilarity(u, v), 9);
      expect(cosine(v, u)).toBeCloseTo(c, 12);
      expect(
        cosine(
          u.map((x) => x * 37.5),
          v.map((x) => x * 0.01),
        ),
      ).toBeCloseTo(c, 9);
      expect(
        cosine(
          u,
          u.map((x) => -x),
        ),
      ).toBeCloseTo(-1, 9);
      expect(Math.abs(c)).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});
