// Chapter 7 exercises: the loss, the batch and the schedule of pre-training. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, perplexityFromLoss } from '@exercises/ch07-pretraining/cross-entropy';
import { shiftedBatch } from '@exercises/ch07-pretraining/shifted-batch';
import { learningRateAt } from '@exercises/ch07-pretraining/lr-schedule';
import { crossEntropy, Rng, shiftedWindows, tf, warmupCosineLr } from '@how-llms-work/lib';

// Random logits (N, V) and targets (N), seeded.
function randomProblem(N: number, V: number, seed: number, scale = 2): { logits: number[][]; targets: number[] } {
  const rng = new Rng(seed);
  return {
    logits: Array.from({ length: N }, () => Array.from({ length: V }, () => rng.normal() * scale)),
    targets: Array.from({ length: N }, () => rng.int(V)),
  };
}

const valueOf = (logits: number[][], targets: number[]) =>
  tf.tidy(() => crossEntropyLoss(tf.tensor2d(logits), tf.tensor1d(targets, 'int32')).dataSync()[0]);

describe('ch07 cross-entropy and perplexity', () => {
  it('is log V for uniform logits', () => {
    expect(valueOf([[0, 0], [0, 0]], [0, 1])).toBeCloseTo(Math.log(2), 5);
    expect(valueOf([new Array(65).fill(3)], [17])).toBeCloseTo(Math.log(65), 5);
  });

  it("matches the library's cross-entropy on random logits", () => {
    const { logits, targets } = randomProblem(12, 7, 1);
    const want = tf.tidy(() => crossEntropy(tf.tensor2d(logits), tf.tensor1d(targets, 'int32')).dataSync()[0]);
    expect(valueOf(logits, targets)).toBeCloseTo(want, 5);
  });

  it('stays finite for huge logits (stable log-softmax)', () => {
    expect(valueOf([[1000, 0]], [0])).toBeCloseTo(0, 5);
    expect(valueOf([[1000, 0], [0, 2000]], [1, 0])).toBeCloseTo(1500, 1);
  });

  it('is differentiable: its gradient is (softmax − onehot) / N', () => {
    const { logits, targets } = randomProblem(4, 5, 2);
    const diff = tf.tidy(() => {
      const x = tf.tensor2d(logits);
      const t = tf.tensor1d(targets, 'int32');
      const g = tf.grad((l: tf.Tensor) => crossEntropyLoss(l as tf.Tensor2D, t))(x);
      return g.sub(tf.softmax(x).sub(tf.oneHot(t, 5)).div(4)).abs().max().dataSync()[0];
    });
    expect(diff).toBeLessThan(1e-5);
  });

  it('perplexity is exp(loss) and rejects a negative loss', () => {
    expect(perplexityFromLoss(Math.log(65))).toBeCloseTo(65, 8);
    expect(perplexityFromLoss(0)).toBe(1);
    expect(() => perplexityFromLoss(-0.5)).toThrow(/-0\.5/);
  });
});

describe('ch07 shifted batch', () => {
  it('builds the example from the doc comment', () => {
    expect(shiftedBatch([10, 11, 12, 13, 14], [0, 1], 3)).toEqual({ x: [[10, 11, 12], [11, 12, 13]], y: [[11, 12, 13], [12, 13, 14]] });
  });

  it('targets are the inputs shifted by one, for every row', () => {
    const rng = new Rng(3);
    const ids = Array.from({ length: 200 }, () => rng.int(65));
    const starts = [0, 5, 100, 199 - 16];
    const { x, y } = shiftedBatch(ids, starts, 16);
    const want = shiftedWindows(ids, starts, 16);
    expect(x.flat()).toEqual(Array.from(want.x));
    expect(y.flat()).toEqual(Array.from(want.y));
  });

  it('uses the last possible window and no further', () => {
    const ids = [0, 1, 2, 3, 4, 5];
    expect(shiftedBatch(ids, [2], 3).y).toEqual([[3, 4, 5]]);
    expect(() => shiftedBatch(ids, [3], 3)).toThrow(/3/);
  });

  it('rejects a negative start, naming it', () => {
    expect(shiftedBatch([1, 2, 3], [0], 2).x).toEqual([[1, 2]]);
    expect(() => shiftedBatch([1, 2, 3], [-4], 2)).toThrow(/-4/);
  });
});

describe('ch07 learning-rate schedule', () => {
  const o = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: 1000 };

  it('warms up linearly from the first step', () => {
    expect(learningRateAt(0, o)).toBeCloseTo(1e-5, 12);
    expect(learningRateAt(49, o)).toBeCloseTo(5e-4, 12);
    expect(learningRateAt(99, o)).toBeCloseTo(1e-3, 12);
  });

  it('decays along a cosine: halfway is the midpoint', () => {
    expect(learningRateAt(100, o)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(550, o)).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(325, o)).toBeCloseTo(1e-4 + 0.5 * (1 + Math.cos(Math.PI / 4)) * 9e-4, 12);
  });

  it('stays at the floor after decaySteps', () => {
    expect(learningRateAt(1000, o)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(50_000, o)).toBeCloseTo(1e-4, 12);
  });

  it("agrees with the library's schedule at every step", () => {
    const p = { maxLr: 6e-4, minLr: 6e-5, warmupSteps: 20, decaySteps: 300 };
    for (let s = 0; s < 400; s += 7) expect(learningRateAt(s, p)).toBeCloseTo(warmupCosineLr(s, p), 12);
  });
});
