// Hidden tests of exercises/ch10-compression/distill.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { distillationLoss } from '@exercises/ch10-compression/distill';
import { tf } from '@how-llms-work/lib';
import { randomVector } from '../../../test/exercises/helpers';

const logSoftmaxJs = (xs: number[]) => {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  return xs.map((x) => x - lse);
};

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
});
