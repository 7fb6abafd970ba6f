// Tests of exercises/ch07-pretraining/cross-entropy.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, perplexityFromLoss } from '@exercises/ch07-pretraining/cross-entropy';
import { crossEntropy, Rng, tf } from '@how-llms-work/lib';

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
    expect(
      valueOf(
        [
          [0, 0],
          [0, 0],
        ],
        [0, 1],
      ),
    ).toBeCloseTo(Math.log(2), 5);
    expect(valueOf([new Array(65).fill(3)], [17])).toBeCloseTo(Math.log(65), 5);
  });

  it("matches the library's cross-entropy on random logits", () => {
    const { logits, targets } = randomProblem(12, 7, 1);
    const want = tf.tidy(() => crossEntropy(tf.tensor2d(logits), tf.tensor1d(targets, 'int32')).dataSync()[0]);
    expect(valueOf(logits, targets)).toBeCloseTo(want, 5);
  });

  it('stays finite for huge logits (stable log-softmax)', () => {
    expect(valueOf([[1000, 0]], [0])).toBeCloseTo(0, 5);
    expect(
      valueOf(
        [
          [1000, 0],
          [0, 2000],
        ],
        [1, 0],
      ),
    ).toBeCloseTo(1500, 1);
  });

  it('is differentiable: its gradient is (softmax − onehot) / N', () => {
    const { logits, targets } = randomProblem(4, 5, 2);
    const diff = tf.tidy(() => {
      const x = tf.tensor2d(logits);
      const t = tf.tensor1d(targets, 'int32');
      const g = tf.grad((l: tf.Tensor) => crossEntropyLoss(l as tf.Tensor2D, t))(x);
      return g
        .sub(tf.softmax(x).sub(tf.oneHot(t, 5)).div(4))
        .abs()
        .max()
        .dataSync()[0];
    });
    expect(diff).toBeLessThan(1e-5);
  });

  it('perplexity is exp(loss) and rejects a negative loss', () => {
    expect(perplexityFromLoss(Math.log(65))).toBeCloseTo(65, 8);
    expect(perplexityFromLoss(0)).toBe(1);
    expect(() => perplexityFromLoss(-0.5)).toThrow(/-0\.5/);
  });
});
