// Hidden tests of exercises/ch07-pretraining/shifted-batch.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { shiftedBatch } from '@exercises/ch07-pretraining/shifted-batch';

describe('ch07 shifted batch', () => {
  it('gives an empty batch for no starts, repeats a start, and handles blockSize 1', () => {
    expect(shiftedBatch([4, 5, 6], [], 2)).toEqual({ x: [], y: [] });
    expect(shiftedBatch([4, 5, 6], [1, 0, 1], 1)).toEqual({ x: [[5], [4], [5]], y: [[6], [5], [6]] });
  });
  it('leaves the stream alone and rejects a fractional start, naming it', () => {
    const ids = [9, 8, 7, 6];
    expect(shiftedBatch(ids, [0], 3).x).toEqual([[9, 8, 7]]);
    expect(ids).toEqual([9, 8, 7, 6]);
    expect(() => shiftedBatch(ids, [0.5], 2)).toThrow(/0\.5/);
  });
});
