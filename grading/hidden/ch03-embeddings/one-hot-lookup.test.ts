// Hidden tests of exercises/ch03-embeddings/one-hot-lookup.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { embedByOneHot } from '@exercises/ch03-embeddings/one-hot-lookup';
import { tf } from '@how-llms-work/lib';
import { randomVector } from '../../../test/exercises/helpers';

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
