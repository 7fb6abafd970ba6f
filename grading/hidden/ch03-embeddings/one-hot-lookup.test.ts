// Hidden tests of exercises/ch03-embeddings/one-hot-lookup.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { embedByOneHot } from '@exercises/ch03-embeddings/one-hot-lookup';
import { lookupByOneHot, Rng, tf } from '@how-llms-work/lib';
import { randomVector } from '../../../test/exercises/helpers';

describe('ch03 embedByOneHot', () => {
  it('picks rows of the table by id, for a two-row vocabulary too', () => {
    expect(
      embedByOneHot(
        tf.tensor2d([
          [7, 8, 9],
          [1, 2, 3],
        ]),
        [1, 1, 0],
      ).arraySync(),
    ).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [7, 8, 9],
    ]);
    const rows = [randomVector(3, 33), randomVector(3, 34), randomVector(3, 35), randomVector(3, 36)];
    const out = embedByOneHot(tf.tensor2d(rows), [3, 1, 3]).arraySync();
    [3, 1, 3].forEach((id, i) => out[i].forEach((v, j) => expect(v).toBeCloseTo(rows[id][j], 6)));
  });
  it('names an id equal to V and a fractional id', () => {
    expect(embedByOneHot(tf.ones([4, 2]) as tf.Tensor2D, [3]).shape).toEqual([1, 2]);
    expect(() => embedByOneHot(tf.ones([4, 2]) as tf.Tensor2D, [1, 4])).toThrow(/4/);
    expect(() => embedByOneHot(tf.ones([4, 2]) as tf.Tensor2D, [1.5])).toThrow(/1\.5/);
  });
  it("equals tf.gather and the library's lookup on seeded random tables, with the gradient of a gather", () => {
    const rng = new Rng(304);
    for (let trial = 0; trial < 4; trial++) {
      const V = 2 + rng.int(10);
      const C = 1 + rng.int(6);
      const ids = Array.from({ length: 1 + rng.int(8) }, () => rng.int(V));
      const table = tf.randomNormal([V, C], 0, 1, 'float32', trial + 1) as tf.Tensor2D;
      const got = embedByOneHot(table, ids);
      expect(got.shape).toEqual([ids.length, C]);
      expect(
        tf
          .abs(got.sub(tf.gather(table, ids)))
          .max()
          .dataSync()[0],
      ).toBeLessThan(1e-6);
      expect(
        tf
          .abs(got.sub(lookupByOneHot(table, tf.tensor1d(ids, 'int32'))))
          .max()
          .dataSync()[0],
      ).toBeLessThan(1e-6);
      const probe = tf.randomNormal([ids.length, C], 0, 1, 'float32', trial + 21);
      const mine = tf.grad((t: tf.Tensor) =>
        embedByOneHot(t as tf.Tensor2D, ids)
          .mul(probe)
          .sum(),
      )(table);
      const want = tf.grad((t: tf.Tensor) => tf.gather(t, ids).mul(probe).sum())(table);
      expect(tf.abs(mine.sub(want)).max().dataSync()[0]).toBeLessThan(1e-5);
    }
  });
});
