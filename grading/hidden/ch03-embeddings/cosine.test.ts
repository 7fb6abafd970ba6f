// Hidden tests of exercises/ch03-embeddings/cosine.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { cosine } from '@exercises/ch03-embeddings/cosine';
import { randomVector, dot } from '../../../test/exercises/helpers';

describe('ch03 cosine', () => {
  it('agrees with u·v / (‖u‖‖v‖), is symmetric, and flips sign with −v', () => {
    const [u, v] = [randomVector(7, 31), randomVector(7, 32)];
    const want = dot(u, v) / Math.sqrt(dot(u, u) * dot(v, v));
    expect(cosine(u, v)).toBeCloseTo(want, 10);
    expect(cosine(v, u)).toBeCloseTo(want, 10);
    expect(cosine(u, v.map((x) => -3 * x))).toBeCloseTo(-want, 10);
  });
  it('handles width 1 and refuses a zero second vector', () => {
    expect(cosine([-3], [2])).toBeCloseTo(-1, 10);
    expect(() => cosine([1, 2], [0, 0])).toThrow();
    expect(() => cosine([1, 2], [0, 0])).not.toThrow(/TODO/);
  });
});
