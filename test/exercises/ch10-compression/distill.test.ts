// Tests of exercises/ch10-compression/distill.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { distillationLoss } from '@exercises/ch10-compression/distill';
import { distillationLoss as libraryDistillationLoss, tf } from '@how-llms-work/lib';

describe('ch10 distillationLoss', () => {
  const logits = (seed: number, shape: [number, number], std = 2) => tf.randomNormal(shape, 0, std, 'float32', seed);

  it('is zero when the student copies the teacher and only soft targets count', () => {
    const t = logits(1, [5, 7]);
    const y = tf.zeros([5], 'int32');
    expect(distillationLoss(t, t, y, 3, 1).dataSync()[0]).toBeCloseTo(0, 6);
    tf.dispose([t, y]);
  });

  it('equals the cross-entropy when alpha is 0', () => {
    const s = logits(2, [4, 6]);
    const t = logits(3, [4, 6]);
    const y = tf.tensor1d([0, 5, 2, 2], 'int32');
    const ce = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 6), s).dataSync()[0]);
    expect(distillationLoss(s, t, y, 4, 0).dataSync()[0]).toBeCloseTo(ce, 5);
    tf.dispose([s, t, y]);
  });

  it('matches the library for several temperatures and mixes (with the τ² factor)', () => {
    const s = logits(4, [6, 9]);
    const t = logits(5, [6, 9]);
    const y = tf.tensor1d([1, 2, 3, 4, 5, 6], 'int32');
    for (const [tau, alpha] of [
      [1, 1],
      [2, 0.5],
      [5, 0.9],
    ]) {
      const want = libraryDistillationLoss(s, t, y, { temperature: tau, alpha }).dataSync()[0];
      expect(distillationLoss(s, t, y, tau, alpha).dataSync()[0]).toBeCloseTo(want, 4);
    }
    tf.dispose([s, t, y]);
  });

  it('has the gradient α·τ·(softmax(s/τ) − softmax(t/τ)) / N for the soft term', () => {
    const s = logits(6, [3, 5]);
    const t = logits(7, [3, 5]);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const g = tf.grad((x: tf.Tensor) => distillationLoss(x, t, y, 3, 1))(s);
    const want = tf.tidy(() =>
      tf
        .softmax(s.div(3))
        .sub(tf.softmax(t.div(3)))
        .mul(3 / 3),
    );
    expect(tf.max(tf.abs(g.sub(want))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([s, t, y, g, want]);
  });

  it('stays finite for huge logits (log-softmax, not log of softmax)', () => {
    const s = tf.tensor2d([[1000, 0, -1000]]);
    const t = tf.tensor2d([[0, 1000, -1000]]);
    const y = tf.tensor1d([1], 'int32');
    expect(Number.isFinite(distillationLoss(s, t, y, 1, 0.5).dataSync()[0])).toBe(true);
    tf.dispose([s, t, y]);
  });
});
