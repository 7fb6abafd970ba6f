// Chapter 14 exercise: grouped-query attention's head sharing, against the library's repeatKVHeads and attention.
import { describe, expect, it } from 'vitest';
import { groupedQueryAttend, repeatKV } from '@exercises/ch14-modern-architectures/gqa';
import { repeatKVHeads, Rng, scaledDotProductAttention, tf } from '@how-llms-work/lib';

function randn(shape: [number, number, number, number], seed: number, std = 1): tf.Tensor4D {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std),
    shape,
  ) as tf.Tensor4D;
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);
const reference = (q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D) => {
  const G = q.shape[1] / k.shape[1];
  return scaledDotProductAttention(q, repeatKVHeads(k, G), repeatKVHeads(v, G), { causal: true }).output;
};

describe('ch14 repeatKV', () => {
  it('computes the worked example: each head copied next to itself', () => {
    const kv = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]);
    expect(Array.from(repeatKV(kv, 2).dataSync())).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });

  it('matches the library on random (B, Hkv, T, D) with 3 groups', () => {
    const kv = randn([2, 2, 4, 3], 1);
    const got = repeatKV(kv, 3);
    expect(got.shape).toEqual([2, 6, 4, 3]);
    expect(maxDiff(got, repeatKVHeads(kv, 3))).toBe(0);
  });
});

describe('ch14 groupedQueryAttend', () => {
  it('with as many K/V heads as query heads is causal multi-head attention', () => {
    const [q, k, v] = [randn([1, 2, 5, 4], 2), randn([1, 2, 5, 4], 3), randn([1, 2, 5, 4], 4)];
    expect(
      maxDiff(groupedQueryAttend(q, k, v), scaledDotProductAttention(q, k, v, { causal: true }).output),
    ).toBeLessThan(1e-5);
  });

  it('matches the library with 4 query heads sharing 2 K/V heads', () => {
    const [q, k, v] = [randn([2, 4, 6, 8], 5), randn([2, 2, 6, 8], 6), randn([2, 2, 6, 8], 7)];
    const got = groupedQueryAttend(q, k, v);
    expect(got.shape).toEqual([2, 4, 6, 8]);
    expect(maxDiff(got, reference(q, k, v))).toBeLessThan(1e-5);
  });
});
