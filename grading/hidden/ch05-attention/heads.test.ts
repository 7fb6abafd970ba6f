// Hidden tests of exercises/ch05-attention/heads.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { mergeFromHeads, splitIntoHeads } from '@exercises/ch05-attention/heads';
import { tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../../../test/exercises/helpers';

describe('ch05 split and merge heads', () => {
  it('with H = 1 adds a head axis, and with H = C gives heads of width 1', () => {
    const x = randn([2, 3, 4], 57) as tf.Tensor3D;
    const one = splitIntoHeads(x, 1);
    expect(one.shape).toEqual([2, 1, 3, 4]);
    expect(maxDiff(one.squeeze([1]), x)).toBe(0);
    const narrow = splitIntoHeads(x, 4);
    expect(narrow.shape).toEqual([2, 4, 3, 1]);
    const xs = x.arraySync();
    const ns = narrow.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++)
      for (let h = 0; h < 4; h++) for (let t = 0; t < 3; t++) expect(ns[b][h][t][0]).toBe(xs[b][t][h]);
  });
  it('split(merge(h)) gives back heads h', () => {
    const h = randn([3, 2, 5, 3], 58) as tf.Tensor4D;
    const merged = mergeFromHeads(h);
    expect(merged.shape).toEqual([3, 5, 6]);
    expect(maxDiff(splitIntoHeads(merged, 2), h)).toBe(0);
  });
  it('rejects C = 5 with H = 2, naming both', () => {
    expect(splitIntoHeads(tf.zeros([1, 1, 6]) as tf.Tensor3D, 2).shape).toEqual([1, 2, 1, 3]);
    expect(() => splitIntoHeads(tf.zeros([1, 3, 5]) as tf.Tensor3D, 2)).toThrow(/5[\s\S]*2|2[\s\S]*5/);
  });
});
