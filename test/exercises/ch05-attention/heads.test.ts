// Tests of exercises/ch05-attention/heads.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { mergeFromHeads, splitIntoHeads } from '@exercises/ch05-attention/heads';
import { mergeHeads, splitHeads, tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../helpers';

describe('ch05 split and merge heads', () => {
  it('splits the worked example', () => {
    const heads = splitIntoHeads(tf.tensor3d([[[1, 2, 3, 4]]]), 2);
    expect(heads.shape).toEqual([1, 2, 1, 2]);
    expect(heads.arraySync()).toEqual([[[[1, 2]], [[3, 4]]]]);
  });

  it('gives head h the columns h·D … h·D + D − 1 of every position', () => {
    const x = tf.tensor3d(
      Array.from({ length: 2 * 3 * 6 }, (_, i) => i),
      [2, 3, 6],
    );
    const heads = splitIntoHeads(x, 3);
    expect(heads.shape).toEqual([2, 3, 3, 2]);
    expect(maxDiff(heads, splitHeads(x, 3))).toBe(0);
    expect((heads.arraySync() as number[][][][])[1][2][0]).toEqual([22, 23]); // b = 1, h = 2, t = 0: x[1][0][4…5]
  });

  it('merges heads back: merge(split(x)) = x', () => {
    const x = randn([2, 5, 8], 15) as tf.Tensor3D;
    const merged = mergeFromHeads(splitIntoHeads(x, 4));
    expect(merged.shape).toEqual([2, 5, 8]);
    expect(maxDiff(merged, x)).toBe(0);
  });

  it('merges as the library does (the worked example and a random one)', () => {
    expect(mergeFromHeads(tf.tensor4d([[[[1, 2]], [[3, 4]]]])).arraySync()).toEqual([[[1, 2, 3, 4]]]);
    const h = randn([2, 3, 4, 5], 16) as tf.Tensor4D;
    expect(maxDiff(mergeFromHeads(h), mergeHeads(h))).toBe(0);
  });

  it('rejects a width not divisible by the heads, naming both', () => {
    const x = tf.zeros([1, 2, 6]) as tf.Tensor3D;
    expect(() => splitIntoHeads(x, 4)).toThrow(/6[\s\S]*4|4[\s\S]*6/);
    expect(() => splitIntoHeads(x, 4)).not.toThrow(/TODO/);
  });
});
