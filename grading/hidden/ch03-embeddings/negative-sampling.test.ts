// Hidden tests of exercises/ch03-embeddings/negative-sampling.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { negativeSamplingPairLoss } from '@exercises/ch03-embeddings/negative-sampling';
import { randomVector, dot } from '../../../test/exercises/helpers';

const softplus = (z: number) => Math.log(1 + Math.exp(z));

describe('ch03 negativeSamplingPairLoss', () => {
  it('is softplus(−u·v) + Σ softplus(u·nₖ) on random vectors', () => {
    const [u, v, n1, n2] = [randomVector(5, 37), randomVector(5, 38), randomVector(5, 39), randomVector(5, 40)];
    expect(negativeSamplingPairLoss(u, v, [])).toBeCloseTo(softplus(-dot(u, v)), 8);
    expect(negativeSamplingPairLoss(u, v, [n1, n2])).toBeCloseTo(softplus(-dot(u, v)) + softplus(dot(u, n1)) + softplus(dot(u, n2)), 8);
  });
  it('is 0, not NaN, when the context scores huge and the noise hugely negative', () => {
    const loss = negativeSamplingPairLoss([1, 0], [1000, 0], [[-1000, 0], [-2000, 5]]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(0, 10);
  });
});
