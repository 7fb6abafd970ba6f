// Hidden tests of exercises/ch11-privacy-ethics/clip.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { clipPerExample } from '@exercises/ch11-privacy-ethics/clip';
import { Rng } from '@how-llms-work/lib';
import { randomVector, norm } from '../../../test/exercises/helpers';

describe('ch11 clipPerExample', () => {
  it('leaves a zero row and a row exactly on the ball alone, and maps [] to []', () => {
    expect(clipPerExample([[0, 0, 0], [0, 2, 0]], 2)).toEqual([[0, 0, 0], [0, 2, 0]]);
    expect(clipPerExample([], 1)).toEqual([]);
  });
  it('puts every long row on the ball in its own direction, on random gradients', () => {
    const rng = new Rng(111);
    const rows = Array.from({ length: 6 }, () => randomVector(5, rng).map((x) => x * 3));
    const out = clipPerExample(rows, 1.5);
    rows.forEach((row, i) => {
      const n = norm(row);
      expect(norm(out[i])).toBeCloseTo(Math.min(n, 1.5), 10);
      out[i].forEach((x, j) => expect(x).toBeCloseTo((row[j] * Math.min(n, 1.5)) / n, 10));
    });
  });
  it('rejects a norm of 0 and NaN, naming them', () => {
    expect(clipPerExample([[1]], 0.5)).toEqual([[0.5]]);
    expect(() => clipPerExample([[1]], 0)).toThrow(/0/);
    expect(() => clipPerExample([[1]], Number.NaN)).toThrow(/NaN/);
  });
});
