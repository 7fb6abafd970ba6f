// Tests of exercises/ch03-embeddings/negative-sampling.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { negativeSamplingPairLoss } from '@exercises/ch03-embeddings/negative-sampling';
import { negativeSamplingLoss, Rng, tf } from '@how-llms-work/lib';

describe('ch03 negativeSamplingPairLoss', () => {
  it('gives the worked example', () => {
    expect(negativeSamplingPairLoss([1, 2], [0.5, -0.25], [[1, 0]])).toBeCloseTo(Math.log(2) + Math.log(1 + Math.E), 6);
  });

  it('matches the library loss for several noise words', () => {
    const rng = new Rng(5);
    const vec = () => Array.from({ length: 6 }, () => rng.normal());
    const [u, v, noise] = [vec(), vec(), [vec(), vec(), vec()]];
    const want = negativeSamplingLoss(tf.tensor2d([u]), tf.tensor2d([v]), tf.tensor3d([noise])).dataSync()[0];
    expect(negativeSamplingPairLoss(u, v, noise)).toBeCloseTo(want, 4);
  });

  it('is small when the context scores high and the noise low, large the other way round', () => {
    expect(negativeSamplingPairLoss([1, 0], [5, 0], [[-5, 0]])).toBeLessThan(0.02);
    expect(negativeSamplingPairLoss([1, 0], [-5, 0], [[5, 0]])).toBeGreaterThan(9.9);
  });

  it('is finite and exact for huge scores', () => {
    expect(negativeSamplingPairLoss([100, 0], [-10, 0], [])).toBeCloseTo(1000, 6);
    expect(negativeSamplingPairLoss([100, 0], [10, 0], [[10, 0]])).toBeCloseTo(1000, 6);
  });
});
