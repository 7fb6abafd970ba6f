import { describe, expect, it } from 'vitest';
import { clipRows, clipToNorm, globalNormOf, tf } from '@how-llms-work/lib';

describe('per-example clipping', () => {
  it('global norm spans every tensor of the map', () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor2d([[4, 0]]) };
    expect(globalNormOf(g).dataSync()[0]).toBeCloseTo(5, 6);
  });

  it('scales a long gradient onto the ball and keeps its direction', () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor2d([[4, 0]]) };
    const { clipped, norm } = clipToNorm(g, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(Array.from(clipped.a.dataSync())).toEqual([expect.closeTo(0.6, 6)]);
    expect(Array.from(clipped.b.dataSync())).toEqual([expect.closeTo(0.8, 6), 0]);
  });

  it('leaves a short gradient alone (clipping is min(1, C/‖g‖), not normalisation)', () => {
    const { clipped } = clipToNorm({ a: tf.tensor1d([0.3, 0.4]) }, 1);
    expect(Array.from(clipped.a.dataSync())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)]);
  });

  it('clips each row of (B, P) on its own', () => {
    const out = clipRows(tf.tensor2d([[3, 4], [0.3, 0.4], [0, 0]]), 2).arraySync();
    expect(out[0][0]).toBeCloseTo(1.2, 5);
    expect(out[0][1]).toBeCloseTo(1.6, 5);
    expect(out[1][0]).toBeCloseTo(0.3, 6);
    expect(out[2]).toEqual([0, 0]);
  });

  it('names a bad clipping norm', () => {
    expect(() => clipRows(tf.tensor2d([[1]]), 0)).toThrow(/clipping norm must be > 0, got 0/);
  });
});
