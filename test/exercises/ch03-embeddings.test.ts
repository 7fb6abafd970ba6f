// Chapter 3 exercises: cosine similarity, the one-hot lookup, nearest neighbours, the negative-sampling loss. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { cosine } from '@exercises/ch03-embeddings/cosine';
import { embedByOneHot } from '@exercises/ch03-embeddings/one-hot-lookup';
import { mostSimilar } from '@exercises/ch03-embeddings/neighbours';
import { negativeSamplingPairLoss } from '@exercises/ch03-embeddings/negative-sampling';
import { negativeSamplingLoss, Rng, tf } from '@how-llms-work/lib';

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

describe('ch03 embedByOneHot', () => {
  it('gives the worked example', () => {
    const out = embedByOneHot(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), [2, 0]);
    expect(out.arraySync()).toEqual([[5, 6], [1, 2]]);
  });

  it('equals tf.gather on a random table, repeats included', () => {
    const rng = new Rng(2);
    const table = tf.tensor2d(Array.from({ length: 7 }, () => Array.from({ length: 4 }, () => rng.normal())));
    const ids = [6, 1, 1, 0, 3];
    const out = embedByOneHot(table, ids);
    expect(out.shape).toEqual([5, 4]);
    const want = tf.gather(table, tf.tensor1d(ids, 'int32'));
    expect(tf.abs(out.sub(want)).max().dataSync()[0]).toBeLessThan(1e-6);
  });

  it('names an id outside the vocabulary', () => {
    expect(embedByOneHot(tf.zeros([3, 2]) as tf.Tensor2D, [2]).shape).toEqual([1, 2]);
    expect(() => embedByOneHot(tf.zeros([3, 2]) as tf.Tensor2D, [0, 3])).toThrow(/3/);
    expect(() => embedByOneHot(tf.zeros([3, 2]) as tf.Tensor2D, [-1])).toThrow(/-1/);
  });

  it('leaves only its output behind', () => {
    const table = tf.ones([4, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const out = embedByOneHot(table, [1, 2]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([out, table]);
  });
});

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

describe('ch03 negativeSamplingPairLoss', () => {
  it('gives the worked example', () => {
    expect(negativeSamplingPairLoss([1, 2], [0.5, -0.25], [[1, 0]])).toBeCloseTo(Math.log(2) + Math.log(1 + Math.E), 6);
  });

  it('matches the library loss for several noise words', () => {
    const rng = new Rng(5);
    const vec = () => Array.from({ length: 6 }, () => rng.normal());
    const [u, v, noise] = [vec(), vec(), [vec(), vec(), vec()]];
    const want = negativeSamplingLoss(tf.tensor2d([u]), tf.tensor2d([v]), tf.tensor3d([noise])).dataSync()[0];
    expect(negativeSamplingPairLoss(u, v, noise)).toBeCloseTo(want, 4);
  });

  it('is small when the context scores high and the noise low, large the other way round', () => {
    expect(negativeSamplingPairLoss([1, 0], [5, 0], [[-5, 0]])).toBeLessThan(0.02);
    expect(negativeSamplingPairLoss([1, 0], [-5, 0], [[5, 0]])).toBeGreaterThan(9.9);
  });

  it('is finite and exact for huge scores', () => {
    expect(negativeSamplingPairLoss([100, 0], [-10, 0], [])).toBeCloseTo(1000, 6);
    expect(negativeSamplingPairLoss([100, 0], [10, 0], [[10, 0]])).toBeCloseTo(1000, 6);
  });
});
