// Tests of exercises/ch05-attention/softmax.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { stableSoftmax } from '@exercises/ch05-attention/softmax';
import { tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../helpers';

describe('ch05 stableSoftmax', () => {
  it('matches softmax on ordinary logits, keeping the shape', () => {
    const x = randn([3, 5], 1);
    const p = stableSoftmax(x);
    expect(p.shape).toEqual([3, 5]);
    expect(maxDiff(p, tf.softmax(x))).toBeLessThan(1e-6);
  });

  it('makes every row sum to 1, over the last axis of a 3-D tensor', () => {
    const p = stableSoftmax(randn([2, 3, 4], 2, 3));
    expect(maxDiff(p.sum(-1), tf.ones([2, 3]))).toBeLessThan(1e-5);
  });

  it('survives huge logits (the worked example)', () => {
    const p = stableSoftmax(tf.tensor1d([1000, 1001, 1002]));
    const values = Array.from(p.dataSync());
    expect(values.every(Number.isFinite)).toBe(true);
    expect(maxDiff(p, tf.softmax(tf.tensor1d([0, 1, 2])))).toBeLessThan(1e-6);
  });

  it('survives hugely negative logits', () => {
    const p = stableSoftmax(tf.tensor1d([-1000, -1001, -1002]));
    expect(maxDiff(p, tf.softmax(tf.tensor1d([0, -1, -2])))).toBeLessThan(1e-6);
  });

  it('gives −Infinity (a masked entry) probability exactly 0', () => {
    const p = Array.from(stableSoftmax(tf.tensor1d([2, -Infinity, 2])).dataSync());
    expect(p).toEqual([0.5, 0, 0.5]);
  });
});
