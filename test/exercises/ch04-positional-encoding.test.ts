// Chapter 4 exercises: positional encodings. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { sinusoidalTable } from '@exercises/ch04-positional-encoding/sinusoidal';
import { ropeRotate } from '@exercises/ch04-positional-encoding/rope';
import { shiftMatrix } from '@exercises/ch04-positional-encoding/shift';
import { applyRope, Rng, sinusoidalValues, tf } from '@how-llms-work/lib';

const close = (a: number[], b: ArrayLike<number>, tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
};
const randomVector = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
};
const matVec = (M: number[][], x: number[]) => M.map((row) => row.reduce((s, m, j) => s + m * x[j], 0));
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('ch04 sinusoidalTable', () => {
  it('has shape T × C and starts at [0, 1, 0, 1, …] for position 0', () => {
    const pe = sinusoidalTable(3, 6);
    expect(pe.length).toBe(3);
    expect(pe.every((row) => row.length === 6)).toBe(true);
    close(pe[0], [0, 1, 0, 1, 0, 1]);
  });

  it('puts sin on even columns and cos on odd ones (the worked example)', () => {
    close(sinusoidalTable(2, 4)[1], [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)]);
  });

  it('uses the frequency 10000^(−2i/C) for the pair i', () => {
    const pe = sinusoidalTable(50, 8);
    for (const p of [7, 49]) close(pe[p], [0, 1, 2, 3].flatMap((i) => [Math.sin(p * 10000 ** (-2 * i / 8)), Math.cos(p * 10000 ** (-2 * i / 8))]));
  });

  it("matches the library's table, odd widths included", () => {
    for (const [T, C] of [[16, 32], [5, 7]]) close(sinusoidalTable(T, C).flat(), sinusoidalValues(T, C), 1e-5);
  });
});

describe('ch04 ropeRotate', () => {
  it('rotates each adjacent pair (the worked example)', () => {
    close(ropeRotate([1, 0, 1, 0], 1), [Math.cos(1), Math.sin(1), Math.cos(0.01), Math.sin(0.01)]);
  });

  it('leaves position 0 unchanged and does not modify its input', () => {
    const x = randomVector(8, 1);
    const copy = [...x];
    close(ropeRotate(x, 0), x);
    ropeRotate(x, 5);
    expect(x).toEqual(copy);
  });

  it('preserves the length of the vector (a rotation)', () => {
    const x = randomVector(16, 2);
    const y = ropeRotate(x, 37);
    expect(Math.abs(Math.hypot(...y) - Math.hypot(...x))).toBeLessThan(1e-9);
  });

  it('makes q·k depend only on the distance between positions', () => {
    const q = randomVector(8, 3);
    const k = randomVector(8, 4);
    const a = dot(ropeRotate(q, 10), ropeRotate(k, 7));
    const b = dot(ropeRotate(q, 103), ropeRotate(k, 100));
    expect(Math.abs(a - b)).toBeLessThan(1e-9);
    expect(Math.abs(a - dot(ropeRotate(q, 10), ropeRotate(k, 8)))).toBeGreaterThan(1e-3);
  });

  it("matches the library's applyRope at several positions", () => {
    const D = 8;
    const rows = [0, 1, 2, 3, 4].map((p) => randomVector(D, 10 + p));
    const x = tf.tensor4d(rows.flat(), [1, 1, 5, D]);
    const ours = applyRope(x, 3).dataSync();
    rows.forEach((row, t) => close(ropeRotate(row, t + 3), ours.slice(t * D, (t + 1) * D), 1e-5));
    x.dispose();
  });

  it('rejects an odd length, naming it', () => {
    expect(() => ropeRotate([1, 2, 3], 1)).toThrow(/3/);
    expect(() => ropeRotate([1, 2, 3], 1)).not.toThrow(/TODO/);
  });
});

describe('ch04 shiftMatrix', () => {
  it('is the identity for k = 0', () => {
    const M = shiftMatrix(0, 4);
    close(M.flat(), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('moves PE(p) to PE(p + k) for every p with one matrix', () => {
    const C = 16;
    const M = shiftMatrix(5, C);
    const pe = (p: number) => Array.from(sinusoidalValues(1, C, p));
    for (const p of [0, 1, 17, 250]) close(matVec(M, pe(p)), pe(p + 5), 1e-5);
  });

  it('is orthogonal (a rotation: Mᵀ M = I), so it keeps the encoding’s length', () => {
    const M = shiftMatrix(3, 8);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
      const v = M.reduce((s, row) => s + row[i] * row[j], 0);
      expect(Math.abs(v - (i === j ? 1 : 0))).toBeLessThan(1e-9);
    }
  });

  it('composes: shifting by 2 then 3 is shifting by 5', () => {
    const [A, B, C5] = [shiftMatrix(2, 6), shiftMatrix(3, 6), shiftMatrix(5, 6)];
    const BA = B.map((row) => A[0].map((_, j) => row.reduce((s, b, m) => s + b * A[m][j], 0)));
    close(BA.flat(), C5.flat(), 1e-9);
  });

  it('rejects an odd width, naming it', () => {
    expect(() => shiftMatrix(1, 5)).toThrow(/5/);
    expect(() => shiftMatrix(1, 5)).not.toThrow(/TODO/);
  });
});
