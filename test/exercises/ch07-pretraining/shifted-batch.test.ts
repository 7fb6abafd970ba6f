// Tests of exercises/ch07-pretraining/shifted-batch.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { shiftedBatch } from '@exercises/ch07-pretraining/shifted-batch';
import { Rng, shiftedWindows } from '@how-llms-work/lib';

describe('ch07 shifted batch', () => {
  it('builds the example from the doc comment', () => {
    expect(shiftedBatch([10, 11, 12, 13, 14], [0, 1], 3)).toEqual({
      x: [
        [10, 11, 12],
        [11, 12, 13],
      ],
      y: [
        [11, 12, 13],
        [12, 13, 14],
      ],
    });
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
