import { describe, expect, it } from 'vitest';
import { clipRows, tf } from '@how-llms-work/lib';

describe('per-example clipping', () => {
  it('leaves a short row alone (clipping is min(1, C/‖g‖), not normalisation)', () => {
    const out = clipRows(tf.tensor2d([[0.3, 0.4]]), 1).arraySync();
    expect(out[0][0]).toBeCloseTo(0.3, 6);
    expect(out[0][1]).toBeCloseTo(0.4, 6);
  });

  it('clips each row of (B, P) on its own', () => {
    const out = clipRows(
      tf.tensor2d([
        [3, 4],
        [0.3, 0.4],
        [0, 0],
      ]),
      2,
    ).arraySync();
    expect(out[0][0]).toBeCloseTo(1.2, 5);
    expect(out[0][1]).toBeCloseTo(1.6, 5);
    expect(out[1][0]).toBeCloseTo(0.3, 6);
    expect(out[2]).toEqual([0, 0]);
  });

  it('names a bad clipping norm', () => {
    expect(() => clipRows(tf.tensor2d([[1]]), 0)).toThrow(/clipping norm must be > 0, got 0/);
  });
});
