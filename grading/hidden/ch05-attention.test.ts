// Chapter 5 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { stableSoftmax } from '@exercises/ch05-attention/softmax';
import { maskedAttention } from '@exercises/ch05-attention/attention';
import { mergeFromHeads, splitIntoHeads } from '@exercises/ch05-attention/heads';
import { Rng, tf } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape);
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);
const softmaxJs = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('ch05 stableSoftmax', () => {
  it('softmaxes each row on its own, whatever constant shifts the row', () => {
    const rows = [[0.5, -1, 2], [3, 3, 0]];
    const shifted = tf.tensor2d([rows[0].map((x) => x + 5000), rows[1].map((x) => x - 3000)]);
    const got = stableSoftmax(shifted).arraySync() as number[][];
    rows.forEach((row, i) => softmaxJs(row).forEach((p, j) => expect(got[i][j]).toBeCloseTo(p, 5)));
  });
  it('gives 1 for a single logit and handles a 4-D tensor with −Infinity entries', () => {
    expect(Array.from(stableSoftmax(tf.tensor1d([-7])).dataSync())).toEqual([1]);
    const x = tf.tensor4d([[[[-Infinity, 0, 0]], [[1, -Infinity, -Infinity]]]]); // (1, 2, 1, 3)
    const p = stableSoftmax(x);
    expect(p.shape).toEqual([1, 2, 1, 3]);
    expect(Array.from(p.dataSync())).toEqual([0, 0.5, 0.5, 1, 0, 0]);
  });
});

describe('ch05 maskedAttention', () => {
  it('combines causal and keep for one query over three keys, checked by hand', () => {
    // Tq = 1, Tk = 3: causal lets the only query see all keys (j ≤ 0 + 2); keep hides key 1.
    const q = tf.tensor3d([[[1, 2, 0, 1]]]);
    const kRows = [[0.5, 0, 1, 0], [3, 3, 3, 3], [-1, 0.5, 0, 2]];
    const vRows = [[1, 0], [100, 100], [0, 2]]; // Dv = 2 ≠ D = 4
    const { output, weights } = maskedAttention(q, tf.tensor3d([kRows]), tf.tensor3d([vRows]), { causal: true, keep: tf.tensor2d([[1, 0, 1]]) });
    const s = [kRows[0], kRows[2]].map((k) => (k[0] + 2 * k[1] + k[3]) / 2); // q·k / √4
    const [w0, w2] = softmaxJs(s);
    expect(weights.shape).toEqual([1, 1, 3]);
    expect(output.shape).toEqual([1, 1, 2]);
    const w = weights.arraySync()[0][0];
    expect(w[1]).toBe(0);
    expect(w[0]).toBeCloseTo(w0, 5);
    expect(w[2]).toBeCloseTo(w2, 5);
    const o = output.arraySync()[0][0];
    expect(o[0]).toBeCloseTo(w0, 4);
    expect(o[1]).toBeCloseTo(2 * w2, 4);
  });
  it('without a mask, permuting keys and values together permutes the weights and keeps the output', () => {
    const [q, k, v] = [randn([2, 3, 4], 51), randn([2, 4, 4], 52), randn([2, 4, 3], 53)];
    const perm = tf.tensor1d([2, 0, 3, 1], 'int32');
    const a = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D);
    const b = maskedAttention(q as tf.Tensor3D, tf.gather(k, perm, 1) as tf.Tensor3D, tf.gather(v, perm, 1) as tf.Tensor3D);
    expect(maxDiff(a.output, b.output)).toBeLessThan(1e-5);
    expect(maxDiff(tf.gather(a.weights, perm, 2), b.weights)).toBeLessThan(1e-6);
  });
  it('with every key but the first padded, each query returns the first value exactly', () => {
    const [q, k, v] = [randn([2, 3, 4], 54), randn([2, 3, 4], 55), randn([2, 3, 2], 56)];
    const { output } = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, { causal: true, keep: tf.tensor2d([[1, 0, 0], [1, 0, 0]]) });
    const first = v.slice([0, 0, 0], [2, 1, 2]).tile([1, 3, 1]);
    expect(maxDiff(output, first)).toBeLessThan(1e-6);
  });
});

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
    for (let b = 0; b < 2; b++) for (let h = 0; h < 4; h++) for (let t = 0; t < 3; t++) expect(ns[b][h][t][0]).toBe(xs[b][t][h]);
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
