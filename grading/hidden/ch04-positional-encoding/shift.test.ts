// Hidden tests of exercises/ch04-positional-encoding/shift.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { shiftMatrix } from '@exercises/ch04-positional-encoding/shift';
import { matVec, expectAllClose } from '../../../test/exercises/helpers';

const pe = (p: number, C: number) => Array.from({ length: C }, (_, d) => (d % 2 === 0 ? Math.sin : Math.cos)(p * 10000 ** (-2 * Math.floor(d / 2) / C)));

const matMul = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, m) => s + a * B[m][j], 0)));

describe('ch04 shiftMatrix', () => {
  it('is the 2 × 2 rotation [[cos k, sin k], [−sin k, cos k]] for C = 2', () => {
    const k = 0.7;
    expectAllClose(shiftMatrix(k, 2).flat(), [Math.cos(k), Math.sin(k), -Math.sin(k), Math.cos(k)], 1e-9);
  });
  it('shifts backwards for a negative k, and M(−k) undoes M(k)', () => {
    expectAllClose(matVec(shiftMatrix(-4, 6), pe(11, 6)), pe(7, 6), 1e-12);
    const I = matMul(shiftMatrix(-3, 6), shiftMatrix(3, 6));
    expectAllClose(I.flat(), Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0)), 1e-12);
  });
  it('rejects C = 3, naming it', () => {
    expect(shiftMatrix(1, 2)).toHaveLength(2);
    expect(() => shiftMatrix(1, 3)).toThrow(/3/);
  });
});
