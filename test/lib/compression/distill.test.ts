import { describe, expect, it } from 'vitest';
import { crossEntropy, distillationLoss, softDistillationLoss, softTargets, tf } from '@how-llms-work/lib';

describe('distillation loss', () => {
  it('is zero when the student matches the teacher and positive otherwise', () => {
    const t = tf.randomNormal([2, 3, 5], 0, 2, 'float32', 1);
    expect(softDistillationLoss(t, t, 2).dataSync()[0]).toBeCloseTo(0, 6);
    const s = tf.randomNormal([2, 3, 5], 0, 2, 'float32', 2);
    expect(softDistillationLoss(s, t, 2).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([t, s]);
  });

  it('has gradient τ · (softmax(s/τ) − softmax(t/τ)) / N with respect to the student logits', () => {
    const s = tf.randomNormal([4, 6], 0, 1, 'float32', 3);
    const t = tf.randomNormal([4, 6], 0, 1, 'float32', 4);
    for (const tau of [1, 2, 5]) {
      const g = tf.grad((x: tf.Tensor) => softDistillationLoss(x, t, tau))(s);
      const want = tf.tidy(() =>
        softTargets(s, tau)
          .sub(softTargets(t, tau))
          .mul(tau / 4),
      );
      expect(tf.max(tf.abs(g.sub(want))).dataSync()[0]).toBeLessThan(1e-6);
      tf.dispose([g, want]);
    }
    tf.dispose([s, t]);
  });

  it('keeps the soft gradient the same size at high temperature thanks to τ² (logit matching in the limit)', () => {
    const s = tf.randomNormal([3, 8], 0, 1, 'float32', 5);
    const t = tf.randomNormal([3, 8], 0, 1, 'float32', 6);
    const norm = (tau: number) =>
      tf.tidy(
        () =>
          tf
            .grad((x: tf.Tensor) => softDistillationLoss(x, t, tau))(s)
            .norm()
            .dataSync()[0],
      );
    // Hinton et al.: as τ → ∞ the gradient tends to (centred logit difference) / (V·N).
    const limit = tf.tidy(() => {
      const d = s.sub(t);
      return d
        .sub(d.mean(-1, true))
        .div(8 * 3)
        .norm()
        .dataSync()[0];
    });
    expect(norm(50)).toBeCloseTo(limit, 3);
    expect(Math.abs(norm(20) - limit)).toBeLessThan(0.05 * limit);
    // Without τ², the gradient would shrink like 1/τ²: a loss at τ = 50 would teach 2500× less.
    tf.dispose([s, t]);
  });

  it('mixes the soft term with the hard-label cross-entropy by alpha', () => {
    const s = tf.randomNormal([2, 4, 7], 0, 1, 'float32', 7);
    const t = tf.randomNormal([2, 4, 7], 0, 1, 'float32', 8);
    const y = tf.randomUniform([2, 4], 0, 7, 'int32', 9);
    const soft = softDistillationLoss(s, t, 3).dataSync()[0];
    const hard = crossEntropy(s, y).dataSync()[0];
    expect(distillationLoss(s, t, y, { temperature: 3, alpha: 0.7 }).dataSync()[0]).toBeCloseTo(
      0.7 * soft + 0.3 * hard,
      5,
    );
    expect(distillationLoss(s, t, y, { temperature: 3, alpha: 0 }).dataSync()[0]).toBeCloseTo(hard, 5);
    expect(() => distillationLoss(s, t, y, { temperature: 0, alpha: 0.5 })).toThrow(
      /temperature must be positive, got 0/,
    );
    expect(() => distillationLoss(s, t, y, { temperature: 2, alpha: 1.5 })).toThrow(
      /alpha must be in \[0, 1\], got 1.5/,
    );
    expect(() => softDistillationLoss(s, tf.zeros([2, 4, 5]), 1)).toThrow(/must have the same shape/);
    tf.dispose([s, t, y]);
  });

  it('leaks no tensors', () => {
    const s = tf.randomNormal([2, 5]);
    const t = tf.randomNormal([2, 5]);
    const y = tf.tensor1d([1, 2], 'int32');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) distillationLoss(s, t, y, { temperature: 2, alpha: 0.5 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, t, y]);
  });
});
