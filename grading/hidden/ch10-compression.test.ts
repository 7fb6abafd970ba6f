// Chapter 10 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { magnitudePruningMask } from '@exercises/ch10-compression/prune';
import { dequantizeInt8, quantizeInt8 } from '@exercises/ch10-compression/quantize';
import { distillationLoss } from '@exercises/ch10-compression/distill';
import { Rng, tf } from '@how-llms-work/lib';

const randomValues = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
};
const logSoftmaxJs = (xs: number[]) => {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  return xs.map((x) => x - lse);
};

describe('ch10 magnitudePruningMask', () => {
  it('takes a Float32Array, prunes the earlier of equal magnitudes, and maps [] to []', () => {
    expect(magnitudePruningMask(Float32Array.from([-1, 1, -1, 1, 5]), 0.6)).toEqual([0, 0, 0, 1, 1]);
    expect(magnitudePruningMask([], 0.5)).toEqual([]);
  });
  it('prunes a set that grows with the sparsity', () => {
    const w = randomValues(40, 101);
    const [low, high] = [magnitudePruningMask(w, 0.25), magnitudePruningMask(w, 0.75)];
    expect(low.filter((m) => m === 0)).toHaveLength(10);
    expect(high.filter((m) => m === 0)).toHaveLength(30);
    low.forEach((m, i) => { if (m === 0) expect(high[i]).toBe(0); });
  });
  it('rejects a NaN sparsity, naming it', () => {
    expect(magnitudePruningMask([1, 2], 0.5)).toEqual([0, 1]);
    expect(() => magnitudePruningMask([1, 2], Number.NaN)).toThrow(/NaN/);
  });
});

describe('ch10 quantizeInt8 and dequantizeInt8', () => {
  it('rounds half to even with a scale of 1, on a Float32Array', () => {
    const t = quantizeInt8(Float32Array.from([127, 0.5, 1.5, -2.5, -0.5, 126.5]));
    expect(t.scale).toBe(1);
    expect(Array.from(t.q)).toEqual([127, 0, 2, -2, 0, 126]);
  });
  it('scales the scale, not the integers, when the input is scaled by a power of two', () => {
    const w = randomValues(50, 102);
    const [a, b] = [quantizeInt8(w), quantizeInt8(w.map((x) => x * 8))];
    expect(Array.from(b.q)).toEqual(Array.from(a.q));
    expect(b.scale).toBeCloseTo(8 * a.scale, 12);
    expect(Math.max(...Array.from(a.q, Math.abs))).toBe(127);
  });
  it('dequantizes a hand-made tensor to scale · q', () => {
    expect(Array.from(dequantizeInt8({ q: Int8Array.from([1, -2, 127, 0]), scale: 0.5 }))).toEqual([0.5, -1, 63.5, 0]);
  });
});

describe('ch10 distillationLoss', () => {
  it('matches α·τ²·KL + (1 − α)·CE computed by hand', () => {
    const S = [[1, 0, -1], [0.5, 2, 0]];
    const T = [[0, 1, 3], [1, 1, -2]];
    const y = [2, 0];
    const [tau, alpha] = [2, 0.3];
    let kl = 0;
    let ce = 0;
    S.forEach((s, n) => {
      const lp = logSoftmaxJs(T[n].map((x) => x / tau));
      const lq = logSoftmaxJs(s.map((x) => x / tau));
      kl += lp.reduce((acc, l, v) => acc + Math.exp(l) * (l - lq[v]), 0) / 2;
      ce -= logSoftmaxJs(s)[y[n]] / 2;
    });
    const got = distillationLoss(tf.tensor2d(S), tf.tensor2d(T), tf.tensor1d(y, 'int32'), tau, alpha).dataSync()[0];
    expect(got).toBeCloseTo(alpha * tau * tau * kl + (1 - alpha) * ce, 5);
  });
  it('ignores a constant added to each row of the student', () => {
    const s = tf.tensor2d(randomValues(8, 103), [2, 4]);
    const t = tf.tensor2d(randomValues(8, 104), [2, 4]);
    const y = tf.tensor1d([3, 1], 'int32');
    const a = distillationLoss(s, t, y, 1.5, 0.6).dataSync()[0];
    const b = distillationLoss(s.add(tf.tensor2d([[10], [-7]])), t, y, 1.5, 0.6).dataSync()[0];
    expect(b).toBeCloseTo(a, 4);
  });
  it('with α = 0 has the cross-entropy gradient (softmax(s) − onehot) / N', () => {
    const s = tf.tensor2d(randomValues(6, 105), [2, 3]);
    const t = tf.tensor2d(randomValues(6, 106), [2, 3]);
    const y = tf.tensor1d([0, 2], 'int32');
    const g = tf.grad((x: tf.Tensor) => distillationLoss(x, t, y, 4, 0))(s);
    const want = tf.softmax(s).sub(tf.oneHot(y, 3)).div(2);
    expect(tf.max(tf.abs(g.sub(want))).dataSync()[0]).toBeLessThan(1e-5);
  });
});
