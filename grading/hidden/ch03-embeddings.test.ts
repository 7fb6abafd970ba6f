// Chapter 3 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { cosine } from '@exercises/ch03-embeddings/cosine';
import { embedByOneHot } from '@exercises/ch03-embeddings/one-hot-lookup';
import { mostSimilar } from '@exercises/ch03-embeddings/neighbours';
import { negativeSamplingPairLoss } from '@exercises/ch03-embeddings/negative-sampling';
import { Rng, tf } from '@how-llms-work/lib';

const randomVector = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const softplus = (z: number) => Math.log(1 + Math.exp(z));

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

describe('ch03 embedByOneHot', () => {
  it('picks rows of the table by id, for a two-row vocabulary too', () => {
    expect(embedByOneHot(tf.tensor2d([[7, 8, 9], [1, 2, 3]]), [1, 1, 0]).arraySync()).toEqual([[1, 2, 3], [1, 2, 3], [7, 8, 9]]);
    const rows = [randomVector(3, 33), randomVector(3, 34), randomVector(3, 35), randomVector(3, 36)];
    const out = embedByOneHot(tf.tensor2d(rows), [3, 1, 3]).arraySync();
    [3, 1, 3].forEach((id, i) => out[i].forEach((v, j) => expect(v).toBeCloseTo(rows[id][j], 6)));
  });
  it('names an id equal to V and a fractional id', () => {
    expect(embedByOneHot(tf.ones([4, 2]) as tf.Tensor2D, [3]).shape).toEqual([1, 2]);
    expect(() => embedByOneHot(tf.ones([4, 2]) as tf.Tensor2D, [1, 4])).toThrow(/4/);
    expect(() => embedByOneHot(tf.ones([4, 2]) as tf.Tensor2D, [1.5])).toThrow(/1\.5/);
  });
});

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

describe('ch03 negativeSamplingPairLoss', () => {
  it('is softplus(−u·v) + Σ softplus(u·nₖ) on random vectors', () => {
    const [u, v, n1, n2] = [randomVector(5, 37), randomVector(5, 38), randomVector(5, 39), randomVector(5, 40)];
    expect(negativeSamplingPairLoss(u, v, [])).toBeCloseTo(softplus(-dot(u, v)), 8);
    expect(negativeSamplingPairLoss(u, v, [n1, n2])).toBeCloseTo(softplus(-dot(u, v)) + softplus(dot(u, n1)) + softplus(dot(u, n2)), 8);
  });
  it('is 0, not NaN, when the context scores huge and the noise hugely negative', () => {
    const loss = negativeSamplingPairLoss([1, 0], [1000, 0], [[-1000, 0], [-2000, 5]]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(0, 10);
  });
});
