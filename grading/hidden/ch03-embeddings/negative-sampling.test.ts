// Hidden tests of exercises/ch03-embeddings/negative-sampling.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { negativeSamplingPairLoss } from '@exercises/ch03-embeddings/negative-sampling';
import { randomVector, dot } from '../../../test/exercises/helpers';
import { negativeSamplingLoss, Rng, tf } from '@how-llms-work/lib';

const softplus = (z: number) => Math.log(1 + Math.exp(z));

describe('ch03 negativeSamplingPairLoss', () => {
  it('is softplus(−u·v) + Σ softplus(u·nₖ) on random vectors', () => {
    const [u, v, n1, n2] = [randomVector(5, 37), randomVector(5, 38), randomVector(5, 39), randomVector(5, 40)];
    expect(negativeSamplingPairLoss(u, v, [])).toBeCloseTo(softplus(-dot(u, v)), 8);
    expect(negativeSamplingPairLoss(u, v, [n1, n2])).toBeCloseTo(
      softplus(-dot(u, v)) + softplus(dot(u, n1)) + softplus(dot(u, n2)),
      8,
    );
  });
  it('is 0, not NaN, when the context scores huge and the noise hugely negative', () => {
    const loss = negativeSamplingPairLoss(
      [1, 0],
      [1000, 0],
      [
        [-1000, 0],
        [-2000, 5],
      ],
    );
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(0, 10);
  });
  it("equals the library's batched loss for one pair on seeded random vectors, and stays finite for huge scores", () => {
    const rng = new Rng(302);
    for (let trial = 0; trial < 20; trial++) {
      const C = 1 + rng.int(8);
      const K = 1 + rng.int(6);
      const vec = () => Array.from({ length: C }, () => rng.normal());
      const u = vec();
      const v = vec();
      const noise = Array.from({ length: K }, vec);
      const want = tf.tidy(
        () => negativeSamplingLoss(tf.tensor2d([u]), tf.tensor2d([v]), tf.tensor3d([noise])).dataSync()[0],
      );
      expect(negativeSamplingPairLoss(u, v, noise)).toBeCloseTo(want, 4);
    }
    const big = negativeSamplingPairLoss([100, 0], [-30, 0], [[-40, 0]]);
    expect(big).toBeCloseTo(3000, 6);
    expect(negativeSamplingPairLoss([100, 0], [30, 0], [[-40, 0]])).toBeCloseTo(0, 6);
  });
});
