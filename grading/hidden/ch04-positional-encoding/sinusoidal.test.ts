// Hidden tests of exercises/ch04-positional-encoding/sinusoidal.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { sinusoidalTable } from '@exercises/ch04-positional-encoding/sinusoidal';
import { expectAllClose } from '../../../test/exercises/helpers';
import { Rng, sinusoidalValues } from '@how-llms-work/lib';

describe('ch04 sinusoidalTable', () => {
  it('gives an empty table for T = 0 and a lone sin column for C = 1', () => {
    expect(sinusoidalTable(0, 4)).toEqual([]);
    expectAllClose(sinusoidalTable(4, 1).flat(), [0, Math.sin(1), Math.sin(2), Math.sin(3)], 1e-9);
  });
  it('uses ω = 10000^(−2i/C) with C odd (C = 3: the last sin has ω = 10000^(−2/3))', () => {
    const table = sinusoidalTable(6, 3);
    expectAllClose(table[5], [Math.sin(5), Math.cos(5), Math.sin(5 * 10000 ** (-2 / 3))], 1e-9);
  });
  it('pairs share a frequency: sin² + cos² = 1 for every pair and position', () => {
    const table = sinusoidalTable(9, 10);
    for (const row of table)
      for (let i = 0; i < 5; i++) expect(row[2 * i] ** 2 + row[2 * i + 1] ** 2).toBeCloseTo(1, 12);
  });
  it("equals the library's table for seeded random sizes, odd widths included", () => {
    const rng = new Rng(401);
    for (let trial = 0; trial < 8; trial++) {
      const T = 1 + rng.int(40);
      const C = 1 + rng.int(33);
      const got = sinusoidalTable(T, C);
      const want = sinusoidalValues(T, C);
      expect(got).toHaveLength(T);
      got.forEach((row, p) => {
        expect(row).toHaveLength(C);
        row.forEach((v, d) => expect(v).toBeCloseTo(want[p * C + d], 5));
      });
      // Every (sin, cos) pair lies on the unit circle.
      for (const row of got)
        for (let d = 0; d + 1 < C; d += 2) expect(row[d] ** 2 + row[d + 1] ** 2).toBeCloseTo(1, 10);
    }
  });
});
