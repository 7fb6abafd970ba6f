// Tests of exercises/ch05-attention/attention.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { maskedAttention } from '@exercises/ch05-attention/attention';
import { causalMask, paddingMask, scaledDotProductAttention, tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../helpers';

describe('ch05 maskedAttention', () => {
  const asHeads = (t: tf.Tensor) => t.expandDims(1); // (B, T, D) → (B, 1, T, D)

  it('computes the worked example', () => {
    const q = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    const v = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const { output, weights } = maskedAttention(q, q, v, { causal: true });
    const w1 = 1 / (1 + Math.exp(Math.SQRT1_2));
    expect(
      maxDiff(
        weights,
        tf.tensor3d([
          [
            [1, 0],
            [w1, 1 - w1],
          ],
        ]),
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxDiff(
        output,
        tf.tensor3d([
          [
            [1, 2],
            [1 + 2 * (1 - w1), 2 + 2 * (1 - w1)],
          ],
        ]),
      ),
    ).toBeLessThan(1e-5);
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
    const keep = tf.tensor2d([
      [1, 1, 1],
      [1, 0, 0],
    ]);
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
