// Hidden tests of exercises/ch04-positional-encoding/shift.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { shiftMatrix } from '@exercises/ch04-positional-encoding/shift';
import { matVec, expectAllClose } from '../../../test/exercises/helpers';
import { Rng, sinusoidalValues } from '@how-llms-work/lib';

const pe = (p: number, C: number) =>
  Array.from({ length: C }, (_, d) => (d % 2 === 0 ? Math.sin : Math.cos)(p * 10000 ** ((-2 * Math.floor(d / 2)) / C)));

const matMul = (A: number[][], B: number[][]) =>
  A.map((row) => B[0].map((_, j) => row.reduce((s, a, m) => s + a * B[m][j], 0)));

describe('ch04 shiftMatrix', () => {
  it('is the 2 × 2 rotation [[cos k, sin k], [−sin k, cos k]] for C = 2', () => {
    const k = 0.7;
    expectAllClose(shiftMatrix(k, 2).flat(), [Math.cos(k), Math.sin(k), -Math.sin(k), Math.cos(k)], 1e-9);
  });
  it('shifts backwards for a negative k, and M(−k) undoes M(k)', () => {
    expectAllClose(matVec(shiftMatrix(-4, 6), pe(11, 6)), pe(7, 6), 1e-12);
    const I = matMul(shiftMatrix(-3, 6), shiftMatrix(3, 6));
    expectAllClose(
      I.flat(),
      Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0)),
      1e-12,
    );
  });
  it('rejects C = 3, naming it', () => {
    expect(shiftMatrix(1, 2)).toHaveLength(2);
    expect(() => shiftMatrix(1, 3)).toThrow(/3/);
  });
  it('moves the encoding k places for seeded random p, k and even C; M_j · M_k = M_(j+k); M_k is orthogonal', () => {
    const rng = new Rng(403);
    const mul = (A: number[][], B: number[][]) =>
      A.map((row) => B[0].map((_, j) => row.reduce((s, a, i) => s + a * B[i][j], 0)));
    for (let trial = 0; trial < 6; trial++) {
      const C = 2 * (1 + rng.int(8));
      const k = rng.int(40);
      const j = rng.int(40);
      const p = rng.int(60);
      const pe = sinusoidalValues(p + k + 1, C);
      const M = shiftMatrix(k, C);
      const moved = M.map((row) => row.reduce((s, m, d) => s + m * pe[p * C + d], 0));
      moved.forEach((v, d) => expect(v).toBeCloseTo(pe[(p + k) * C + d], 4));
      const composed = mul(shiftMatrix(j, C), M);
      const direct = shiftMatrix(j + k, C);
      composed.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(direct[r][c], 9)));
      const MtM = mul(
        M[0].map((_, c) => M.map((row) => row[c])),
        M,
      );
      MtM.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(r === c ? 1 : 0, 9)));
    }
  });
});
