// Chapter 11 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { clipPerExample } from '@exercises/ch11-privacy-ethics/clip';
import { federatedAverage } from '@exercises/ch11-privacy-ethics/fedavg';
import { associationEffectSize } from '@exercises/ch11-privacy-ethics/weat';
import { Rng } from '@how-llms-work/lib';

const randomVector = (n: number, rng: Rng) => Array.from({ length: n }, () => rng.normal());
const norm = (v: number[]) => Math.hypot(...v);

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

describe('ch11 federatedAverage', () => {
  it('gives back one client, and depends only on the ratios of the counts', () => {
    expect(federatedAverage([{ a: [1, -2], b: [3] }], [5])).toEqual({ a: [1, -2], b: [3] });
    const clients = [{ w: [1, 2, 3] }, { w: [5, 6, 7] }, { w: [-1, 0, 9] }];
    const a = federatedAverage(clients, [1, 2, 1]);
    const b = federatedAverage(clients, [10, 20, 10]);
    a.w.forEach((v, i) => expect(b.w[i]).toBeCloseTo(v, 12));
    [(1 + 10 - 1) / 4, (2 + 12 + 0) / 4, (3 + 14 + 9) / 4].forEach((v, i) => expect(a.w[i]).toBeCloseTo(v, 12));
  });
  it('does not modify the clients', () => {
    const clients = [{ w: [2, 4] }, { w: [6, 8] }];
    federatedAverage(clients, [3, 1]);
    expect(clients).toEqual([{ w: [2, 4] }, { w: [6, 8] }]);
  });
  it('rejects no clients, a negative count and all-zero counts', () => {
    expect(federatedAverage([{ w: [1] }, { w: [3] }], [0, 2])).toEqual({ w: [3] });
    for (const bad of [() => federatedAverage([], []), () => federatedAverage([{ w: [1] }, { w: [2] }], [-1, 3]), () => federatedAverage([{ w: [1] }], [0])]) {
      expect(bad).toThrow();
      expect(bad).not.toThrow(/TODO/);
    }
  });
});

describe('ch11 associationEffectSize', () => {
  it('matches the definition computed by hand in three dimensions', () => {
    const X = [[1, 0, 0], [1, 1, 0]];
    const Y = [[0, 0, 1], [0, 1, 1]];
    const A = [[1, 0, 0], [2, 0, 1]];
    const B = [[0, 0, 1]];
    const cos = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i], 0) / (norm(u) * norm(v));
    const s = (w: number[]) => (cos(w, A[0]) + cos(w, A[1])) / 2 - cos(w, B[0]);
    const all = [...X, ...Y].map(s);
    const m = all.reduce((a, b) => a + b, 0) / 4;
    const sd = Math.sqrt(all.reduce((acc, v) => acc + (v - m) ** 2, 0) / 3);
    expect(associationEffectSize(X, Y, A, B)).toBeCloseTo(((all[0] + all[1]) / 2 - (all[2] + all[3]) / 2) / sd, 10);
  });
  it('flips sign when the attribute sets swap', () => {
    const rng = new Rng(112);
    const sets = Array.from({ length: 4 }, () => Array.from({ length: 3 }, () => randomVector(6, rng)));
    const [x, y, a, b] = sets;
    expect(associationEffectSize(x, y, b, a)).toBeCloseTo(-associationEffectSize(x, y, a, b), 10);
  });
  it('throws for an empty set', () => {
    expect(associationEffectSize([[1, 0]], [[0, 1]], [[1, 0]], [[0, 1]])).toBeCloseTo(Math.SQRT2, 10);
    expect(() => associationEffectSize([[1, 0]], [[0, 1]], [], [[0, 1]])).toThrow();
    expect(() => associationEffectSize([[1, 0]], [[0, 1]], [], [[0, 1]])).not.toThrow(/TODO/);
  });
});
