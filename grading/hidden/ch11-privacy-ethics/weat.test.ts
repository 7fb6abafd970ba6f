// Hidden tests of exercises/ch11-privacy-ethics/weat.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { associationEffectSize } from '@exercises/ch11-privacy-ethics/weat';
import { Rng, weatEffectSize } from '@how-llms-work/lib';
import { randomVector, norm } from '../../../test/exercises/helpers';

describe('ch11 associationEffectSize', () => {
  it('matches the definition computed by hand in three dimensions', () => {
    const X = [
      [1, 0, 0],
      [1, 1, 0],
    ];
    const Y = [
      [0, 0, 1],
      [0, 1, 1],
    ];
    const A = [
      [1, 0, 0],
      [2, 0, 1],
    ];
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
  it("equals the library's effect size on seeded random sets; swapping A and B flips its sign; rescaling vectors changes nothing", () => {
    const rng = new Rng(1102);
    for (let trial = 0; trial < 10; trial++) {
      const C = 2 + rng.int(8);
      const set = () => Array.from({ length: 2 + rng.int(6) }, () => Array.from({ length: C }, () => rng.normal()));
      const [X, Y, A, B] = [set(), set(), set(), set()];
      const d = associationEffectSize(X, Y, A, B);
      expect(d).toBeCloseTo(weatEffectSize(X, Y, A, B), 6);
      expect(associationEffectSize(X, Y, B, A)).toBeCloseTo(-d, 9);
      expect(associationEffectSize(Y, X, A, B)).toBeCloseTo(-d, 9);
      const grow = (vs: number[][]) => vs.map((v, i) => v.map((x) => x * (1 + i)));
      expect(associationEffectSize(grow(X), grow(Y), grow(A), grow(B))).toBeCloseTo(d, 9);
    }
  });
});
