// Tests of exercises/ch03-embeddings/one-hot-lookup.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { embedByOneHot } from '@exercises/ch03-embeddings/one-hot-lookup';
import { Rng, tf } from '@how-llms-work/lib';

describe('ch03 embedByOneHot', () => {
  it('gives the worked example', () => {
    const out = embedByOneHot(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      [2, 0],
    );
    expect(out.arraySync()).toEqual([
      [5, 6],
      [1, 2],
    ]);
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
