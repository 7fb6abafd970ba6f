// Chapter 14 hidden tests: head sharing's order, multi-query attention, causality, gradients, errors, no leaks.
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
  it('keeps copies of one head together (not interleaved), and 1 group is the identity', () => {
    const kv = randn([1, 3, 2, 2], 1);
    const got = repeatKV(kv, 2).arraySync();
    const src = kv.arraySync();
    for (let h = 0; h < 6; h++) expect(got[0][h]).toEqual(src[0][Math.floor(h / 2)]);
    expect(maxDiff(repeatKV(kv, 1), kv)).toBe(0);
  });
});

describe('ch14 groupedQueryAttend', () => {
  it('multi-query attention (one K/V head for 4 query heads) matches the library', () => {
    const [q, k, v] = [randn([2, 4, 5, 4], 2), randn([2, 1, 5, 4], 3), randn([2, 1, 5, 4], 4)];
    expect(maxDiff(groupedQueryAttend(q, k, v), reference(q, k, v))).toBeLessThan(1e-5);
  });

  it('is causal: changing the last position leaves earlier outputs unchanged', () => {
    const [q, k, v] = [randn([1, 2, 4, 2], 5), randn([1, 1, 4, 2], 6), randn([1, 1, 4, 2], 7)];
    const v2 = tf.concat([v.slice([0, 0, 0, 0], [1, 1, 3, 2]), tf.fill([1, 1, 1, 2], 100)], 2) as tf.Tensor4D;
    const a = groupedQueryAttend(q, k, v).slice([0, 0, 0, 0], [1, 2, 3, 2]);
    const b = groupedQueryAttend(q, k, v2).slice([0, 0, 0, 0], [1, 2, 3, 2]);
    expect(maxDiff(a, b)).toBeLessThan(1e-6);
  });

  it('has the library gradients for q, k and v', () => {
    const [q, k, v] = [randn([1, 4, 3, 2], 8), randn([1, 2, 3, 2], 9), randn([1, 2, 3, 2], 10)];
    const w = randn([1, 4, 3, 2], 11);
    const f = (impl: typeof groupedQueryAttend) =>
      tf.grads(
        (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          impl(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D)
            .mul(w)
            .sum() as tf.Scalar,
      )([q, k, v]);
    const mine = f(groupedQueryAttend);
    const ref = f(reference);
    mine.forEach((g, i) => expect(maxDiff(g, ref[i]), `gradient ${i}`).toBeLessThan(1e-4));
  });

  it('rejects K/V heads that do not divide the query heads, naming both, and leaks no tensors', () => {
    const [q, k] = [randn([1, 4, 2, 2], 12), randn([1, 3, 2, 2], 13)];
    expect(() => groupedQueryAttend(q, k, k)).toThrow(/3[\s\S]*4|4[\s\S]*3/);
    const k2 = randn([1, 2, 2, 2], 14);
    const before = tf.memory().numTensors;
    groupedQueryAttend(q, k2, k2).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
