// Hidden tests of exercises/ch05-attention/attention.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { maskedAttention } from '@exercises/ch05-attention/attention';
import { tf } from '@how-llms-work/lib';
import { randn, maxDiff, softmaxJs } from '../../../test/exercises/helpers';

describe('ch05 maskedAttention', () => {
  it('combines causal and keep for one query over three keys, checked by hand', () => {
    // Tq = 1, Tk = 3: causal lets the only query see all keys (j ≤ 0 + 2); keep hides key 1.
    const q = tf.tensor3d([[[1, 2, 0, 1]]]);
    const kRows = [
      [0.5, 0, 1, 0],
      [3, 3, 3, 3],
      [-1, 0.5, 0, 2],
    ];
    const vRows = [
      [1, 0],
      [100, 100],
      [0, 2],
    ]; // Dv = 2 ≠ D = 4
    const { output, weights } = maskedAttention(q, tf.tensor3d([kRows]), tf.tensor3d([vRows]), {
      causal: true,
      keep: tf.tensor2d([[1, 0, 1]]),
    });
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
    const b = maskedAttention(
      q as tf.Tensor3D,
      tf.gather(k, perm, 1) as tf.Tensor3D,
      tf.gather(v, perm, 1) as tf.Tensor3D,
    );
    expect(maxDiff(a.output, b.output)).toBeLessThan(1e-5);
    expect(maxDiff(tf.gather(a.weights, perm, 2), b.weights)).toBeLessThan(1e-6);
  });
  it('with every key but the first padded, each query returns the first value exactly', () => {
    const [q, k, v] = [randn([2, 3, 4], 54), randn([2, 3, 4], 55), randn([2, 3, 2], 56)];
    const { output } = maskedAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, {
      causal: true,
      keep: tf.tensor2d([
        [1, 0, 0],
        [1, 0, 0],
      ]),
    });
    const first = v.slice([0, 0, 0], [2, 1, 2]).tile([1, 3, 1]);
    expect(maxDiff(output, first)).toBeLessThan(1e-6);
  });
});
