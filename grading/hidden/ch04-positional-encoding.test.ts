// Chapter 4 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { sinusoidalTable } from '@exercises/ch04-positional-encoding/sinusoidal';
import { ropeRotate } from '@exercises/ch04-positional-encoding/rope';
import { shiftMatrix } from '@exercises/ch04-positional-encoding/shift';
import { Rng } from '@how-llms-work/lib';

const close = (a: number[], b: number[], tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
};
const randomVector = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
};
const pe = (p: number, C: number) => Array.from({ length: C }, (_, d) => (d % 2 === 0 ? Math.sin : Math.cos)(p * 10000 ** (-2 * Math.floor(d / 2) / C)));
const matMul = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, m) => s + a * B[m][j], 0)));
const matVec = (M: number[][], x: number[]) => M.map((row) => row.reduce((s, m, j) => s + m * x[j], 0));

describe('ch04 sinusoidalTable', () => {
  it('gives an empty table for T = 0 and a lone sin column for C = 1', () => {
    expect(sinusoidalTable(0, 4)).toEqual([]);
    close(sinusoidalTable(4, 1).flat(), [0, Math.sin(1), Math.sin(2), Math.sin(3)]);
  });
  it('uses ω = 10000^(−2i/C) with C odd (C = 3: the last sin has ω = 10000^(−2/3))', () => {
    const table = sinusoidalTable(6, 3);
    close(table[5], [Math.sin(5), Math.cos(5), Math.sin(5 * 10000 ** (-2 / 3))]);
  });
  it('pairs share a frequency: sin² + cos² = 1 for every pair and position', () => {
    const table = sinusoidalTable(9, 10);
    for (const row of table) for (let i = 0; i < 5; i++) expect(row[2 * i] ** 2 + row[2 * i + 1] ** 2).toBeCloseTo(1, 12);
  });
});

describe('ch04 ropeRotate', () => {
  it('rotates a pair of D = 2 by exactly p radians', () => {
    const p = 2.5;
    close(ropeRotate([3, -1], p), [3 * Math.cos(p) + Math.sin(p), 3 * Math.sin(p) - Math.cos(p)]);
  });
  it('is undone by the opposite position and is linear', () => {
    const [x, y] = [randomVector(6, 41), randomVector(6, 42)];
    close(ropeRotate(ropeRotate(x, 13), -13), x, 1e-12);
    close(ropeRotate(x.map((v, i) => 2 * v + y[i]), 9), ropeRotate(x, 9).map((v, i) => 2 * v + ropeRotate(y, 9)[i]), 1e-12);
  });
  it('rejects a length of 5, naming it', () => {
    expect(ropeRotate([], 3)).toEqual([]);
    expect(() => ropeRotate([1, 2, 3, 4, 5], 2)).toThrow(/5/);
  });
});

describe('ch04 shiftMatrix', () => {
  it('is the 2 × 2 rotation [[cos k, sin k], [−sin k, cos k]] for C = 2', () => {
    const k = 0.7;
    close(shiftMatrix(k, 2).flat(), [Math.cos(k), Math.sin(k), -Math.sin(k), Math.cos(k)]);
  });
  it('shifts backwards for a negative k, and M(−k) undoes M(k)', () => {
    close(matVec(shiftMatrix(-4, 6), pe(11, 6)), pe(7, 6), 1e-12);
    const I = matMul(shiftMatrix(-3, 6), shiftMatrix(3, 6));
    close(I.flat(), Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0)), 1e-12);
  });
  it('rejects C = 3, naming it', () => {
    expect(shiftMatrix(1, 2)).toHaveLength(2);
    expect(() => shiftMatrix(1, 3)).toThrow(/3/);
  });
});
