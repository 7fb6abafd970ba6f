// Chapter 5 exercises: softmax, masked attention, multi-head split and merge. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { stableSoftmax } from '@exercises/ch05-attention/softmax';
import { maskedAttention } from '@exercises/ch05-attention/attention';
import { mergeFromHeads, splitIntoHeads } from '@exercises/ch05-attention/heads';
import { causalMask, mergeHeads, paddingMask, Rng, scaledDotProductAttention, splitHeads, tf } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape);
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

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

describe('ch05 maskedAttention', () => {
  const asHeads = (t: tf.Tensor) => t.expandDims(1); // (B, T, D) → (B, 1, T, D)

  it('computes the worked example', () => {
    const q = tf.tensor3d([[[1, 0], [0, 1]]]);
    const v = tf.tensor3d([[[1, 2], [3, 4]]]);
    const { output, weights } = maskedAttention(q, q, v, { causal: true });
    const w1 = 1 / (1 + Math.exp(Math.SQRT1_2));
    expect(maxDiff(weights, tf.tensor3d([[[1, 0], [w1, 1 - w1]]]))).toBeLessThan(1e-6);
    expect(maxDiff(output, tf.tensor3d([[[1, 2], [1 + 2 * (1 - w1), 2 + 2 * (1 - w1)]]]))).toBeLessThan(1e-5);
  });

  it('scales scores by √D, the width of a query (no mask)', () => {
    // Large scores: softmax is far from uniform, so any other scale gives different weights.
    const [q, k, v] = [randn([2, 4, 16], 3, 2), randn([2, 5, 16], 4, 2), randn([2, 5, 3], 5)];
    const { output, weights } = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D);
    const ref = scaledDotProductAttention(asHeads(q), asHeads(k), asHeads(v));
    expect(weights.shape).toEqual([2, 4, 5]);
    expect(output.shape).toEqual([2, 4, 3]);
    expect(maxDiff(weights, ref.weights.squeeze([1]))).toBeLessThan(1e-5);
    expect(maxDiff(output, ref.output.squeeze([1]))).toBeLessThan(1e-5);
  });

  it('with causal, puts zero weight on the future and matches the reference', () => {
    const [q, k, v] = [randn([1, 4, 8], 6), randn([1, 4, 8], 7), randn([1, 4, 8], 8)];
    const { output, weights } = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, { causal: true });
    const w = weights.arraySync()[0];
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(w[i][j]).toBe(0);
    const ref = scaledDotProductAttention(asHeads(q), asHeads(k), asHeads(v), { mask: causalMask(4, 4) });
    expect(maxDiff(output, ref.output.squeeze([1]))).toBeLessThan(1e-5);
  });

  it('with keep, puts zero weight on padded keys, and rows still sum to 1', () => {
    const [q, k, v] = [randn([2, 3, 4], 9), randn([2, 3, 4], 10), randn([2, 3, 4], 11)];
    const keep = tf.tensor2d([[1, 1, 1], [1, 0, 0]]);
    const { output, weights } = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, { keep });
    const w = weights.arraySync();
    for (let i = 0; i < 3; i++) expect([w[1][i][1], w[1][i][2]]).toEqual([0, 0]);
    expect(maxDiff(weights.sum(-1), tf.ones([2, 3]))).toBeLessThan(1e-5);
    const ref = scaledDotProductAttention(asHeads(q), asHeads(k), asHeads(v), { mask: paddingMask(keep) });
    expect(maxDiff(output, ref.output.squeeze([1]))).toBeLessThan(1e-5);
  });

  it('with causal and fewer queries than keys, lets the last query see every key (cached decoding)', () => {
    const [q, k, v] = [randn([1, 2, 4], 12), randn([1, 5, 4], 13), randn([1, 5, 4], 14)];
    const { weights } = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, { causal: true });
    const w = weights.arraySync()[0];
    expect(w[0][4]).toBe(0);
    expect(w[0][3]).toBeGreaterThan(0);
    expect(w[1][4]).toBeGreaterThan(0);
  });
});

describe('ch05 split and merge heads', () => {
  it('splits the worked example', () => {
    const heads = splitIntoHeads(tf.tensor3d([[[1, 2, 3, 4]]]), 2);
    expect(heads.shape).toEqual([1, 2, 1, 2]);
    expect(heads.arraySync()).toEqual([[[[1, 2]], [[3, 4]]]]);
  });

  it('gives head h the columns h·D … h·D + D − 1 of every position', () => {
    const x = tf.tensor3d(Array.from({ length: 2 * 3 * 6 }, (_, i) => i), [2, 3, 6]);
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

  it("merges as the library does (the worked example and a random one)", () => {
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
