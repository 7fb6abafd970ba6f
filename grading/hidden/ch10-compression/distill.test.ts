// Hidden tests of exercises/ch10-compression/distill.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { distillationLoss } from '@exercises/ch10-compression/distill';
import { distillationLoss as libraryDistillationLoss, Rng, tf } from '@how-llms-work/lib';
import { randomVector } from '../../../test/exercises/helpers';

const logSoftmaxJs = (xs: number[]) => {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  return xs.map((x) => x - lse);
};

describe('ch10 distillationLoss', () => {
  it('matches α·τ²·KL + (1 − α)·CE computed by hand', () => {
    const S = [
      [1, 0, -1],
      [0.5, 2, 0],
    ];
    const T = [
      [0, 1, 3],
      [1, 1, -2],
    ];
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
    const s = tf.tensor2d(randomVector(8, 103), [2, 4]);
    const t = tf.tensor2d(randomVector(8, 104), [2, 4]);
    const y = tf.tensor1d([3, 1], 'int32');
    const a = distillationLoss(s, t, y, 1.5, 0.6).dataSync()[0];
    const b = distillationLoss(s.add(tf.tensor2d([[10], [-7]])), t, y, 1.5, 0.6).dataSync()[0];
    expect(b).toBeCloseTo(a, 4);
  });
  it('with α = 0 has the cross-entropy gradient (softmax(s) − onehot) / N', () => {
    const s = tf.tensor2d(randomVector(6, 105), [2, 3]);
    const t = tf.tensor2d(randomVector(6, 106), [2, 3]);
    const y = tf.tensor1d([0, 2], 'int32');
    const g = tf.grad((x: tf.Tensor) => distillationLoss(x, t, y, 4, 0))(s);
    const want = tf.softmax(s).sub(tf.oneHot(y, 3)).div(2);
    expect(tf.max(tf.abs(g.sub(want))).dataSync()[0]).toBeLessThan(1e-5);
  });
  it("equals the library's loss and its gradient on seeded random logits, temperatures and mixes", () => {
    const rng = new Rng(1001);
    for (let trial = 0; trial < 6; trial++) {
      const N = 1 + rng.int(6);
      const V = 2 + rng.int(10);
      const tau = [0.5, 1, 2, 4, 8][rng.int(5)];
      const alpha = rng.int(5) / 4;
      const s = tf.randomNormal([N, V], 0, 3, 'float32', trial + 1);
      const t = tf.randomNormal([N, V], 0, 3, 'float32', trial + 11);
      const y = tf.tensor1d(
        Array.from({ length: N }, () => rng.int(V)),
        'int32',
      );
      const mine = (z: tf.Tensor) => distillationLoss(z, t, y, tau, alpha);
      const theirs = (z: tf.Tensor) => libraryDistillationLoss(z, t, y, { temperature: tau, alpha: alpha });
      expect(mine(s).dataSync()[0]).toBeCloseTo(theirs(s).dataSync()[0], 4);
      const g1 = tf.grad(mine)(s);
      const g2 = tf.grad(theirs)(s);
      expect(tf.abs(g1.sub(g2)).max().dataSync()[0]).toBeLessThan(1e-4);
    }
  });
});
