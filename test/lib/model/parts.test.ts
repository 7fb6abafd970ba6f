// The model's parts on their own: masks, attention's scale, heads, RoPE's relative property, errors that name the fix.
import { describe, expect, it } from 'vitest';
import {
  applyRope,
  causalMask,
  gelu,
  layerNorm,
  mergeHeads,
  paddingMask,
  Rng,
  scaledDotProductAttention,
  sinusoidalEncoding,
  splitHeads,
  tf,
} from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std),
    shape,
  );
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('masks', () => {
  it('causal mask with cached keys: query i at offset o sees keys 0 … o + i', () => {
    const m = causalMask(2, 5).arraySync(); // offset 3
    expect(m[0].map((v) => v === 0)).toEqual([true, true, true, true, false]);
    expect(m[1].every((v) => v === 0)).toBe(true);
    expect(() => causalMask(3, 2)).toThrow(/3 queries at offset -1 need at least/);
  });

  it('padding mask is (B, 1, 1, Tk), large negative where keep is 0', () => {
    const m = paddingMask(tf.tensor2d([[1, 0, 1]]));
    expect(m.shape).toEqual([1, 1, 1, 3]);
    const v = m.dataSync();
    expect(v[0] === 0 && v[2] === 0).toBe(true); // −0 is fine: it is added to scores
    expect(v[1]).toBeLessThan(-1e8);
  });
});

describe('scaled dot-product attention', () => {
  it('is softmax(q kᵀ / √D) v, with D the head width', () => {
    const [q, k, v] = [randn([1, 2, 3, 16], 1, 2), randn([1, 2, 4, 16], 2, 2), randn([1, 2, 4, 5], 3)];
    const { output, weights } = scaledDotProductAttention(q, k, v);
    const manual = tf.softmax(tf.matMul(q, k, false, true).div(4));
    expect(maxDiff(weights, manual)).toBeLessThan(1e-6);
    expect(maxDiff(output, tf.matMul(manual, v))).toBeLessThan(1e-5);
    expect(output.shape).toEqual([1, 2, 3, 5]);
  });

  it('gives masked keys exactly zero weight, and rows still sum to 1', () => {
    const x = randn([2, 1, 4, 8], 4);
    const { weights } = scaledDotProductAttention(x, x, x, {
      mask: causalMask(4, 4).add(
        paddingMask(
          tf.tensor2d([
            [1, 1, 1, 1],
            [1, 1, 0, 0],
          ]),
        ),
      ),
    });
    const w = weights.arraySync() as number[][][][];
    expect(w[0][0][0].slice(1)).toEqual([0, 0, 0]);
    expect(w[1][0][3].slice(2)).toEqual([0, 0]);
    expect(maxDiff(weights.sum(-1), tf.ones([2, 1, 4]))).toBeLessThan(1e-6);
  });

  it('rejects queries and keys of different widths', () => {
    expect(() =>
      scaledDotProductAttention(tf.zeros([1, 1, 2, 4]), tf.zeros([1, 1, 2, 3]), tf.zeros([1, 1, 2, 3])),
    ).toThrow(/queries have width 4 but keys 3/);
  });
});

describe('heads', () => {
  it('split gives head h the columns h·D … h·D + D − 1, and merge undoes it', () => {
    const x = tf.tensor3d([[[0, 1, 2, 3, 4, 5]]]);
    const h = splitHeads(x, 3);
    expect(h.arraySync()).toEqual([[[[0, 1]], [[2, 3]], [[4, 5]]]]);
    expect(maxDiff(mergeHeads(h), x)).toBe(0);
    expect(() => splitHeads(x, 4)).toThrow(/width 6 is not divisible by 4 heads/);
  });
});

describe('positions', () => {
  it('RoPE keeps lengths and makes q·k depend only on the distance', () => {
    const q = randn([1, 1, 1, 8], 5);
    const k = randn([1, 1, 1, 8], 6);
    const score = (p: number, s: number) => tf.tidy(() => applyRope(q, p).mul(applyRope(k, s)).sum().dataSync()[0]);
    expect(Math.abs(score(10, 7) - score(50, 47))).toBeLessThan(1e-4);
    expect(Math.abs(score(10, 7) - score(10, 8))).toBeGreaterThan(1e-3);
    expect(maxDiff(tf.norm(applyRope(q, 123)), tf.norm(q))).toBeLessThan(1e-5);
    expect(() => applyRope(tf.zeros([1, 1, 2, 5]))).toThrow(/head width must be even, got 5/);
  });

  it('sinusoidal encoding: sin on even dimensions, cos on odd, offset continues the sequence', () => {
    const pe = sinusoidalEncoding(3, 4).arraySync();
    expect(pe[0]).toEqual([0, 1, 0, 1]);
    expect(pe[2][0]).toBeCloseTo(Math.sin(2), 6);
    expect(pe[2][3]).toBeCloseTo(Math.cos(2 * 0.01), 6);
    expect(maxDiff(sinusoidalEncoding(2, 6, 5), sinusoidalEncoding(7, 6).slice([5, 0], [2, -1]))).toBeLessThan(1e-6);
  });
});

describe('elementwise parts', () => {
  it('GELU is the tanh approximation', () => {
    const xs = [-3, -1, 0, 0.5, 2];
    const expected = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
    const got = Array.from(gelu(tf.tensor1d(xs)).dataSync());
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
  });

  it('layer norm uses the biased variance and ε', () => {
    expect(
      Array.from(layerNorm(tf.tensor2d([[0, 2]]), tf.ones([2])).dataSync()).map((v) => Number(v.toFixed(4))),
    ).toEqual([-1, 1]);
    expect(Array.from(layerNorm(tf.tensor2d([[3, 3]]), tf.ones([2]), tf.tensor1d([0.5, -0.5])).dataSync())).toEqual([
      0.5, -0.5,
    ]);
  });
});
