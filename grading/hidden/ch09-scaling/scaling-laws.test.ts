// Hidden tests of exercises/ch09-scaling/scaling-laws.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { fitPowerLaw, isoFlopOptimum } from '@exercises/ch09-scaling/scaling-laws';
import * as L from '@how-llms-work/lib';

describe('ch09 fitPowerLaw', () => {
  it("equals the library's log-space fit on seeded noisy data, and does not modify its inputs", () => {
    const rng = new L.Rng(909);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + rng.int(10);
      const xs = Array.from({ length: n }, () => 10 ** (6 * rng.next()));
      if (new Set(xs).size < 2) continue;
      const ys = xs.map((x) => Math.exp(rng.normal()) * 3 * x ** (rng.next() - 0.5));
      const [xc, yc] = [[...xs], [...ys]];
      const got = fitPowerLaw(xs, ys);
      const want = L.fitPowerLaw(xs, ys);
      expect(got.exponent).toBeCloseTo(want.exponent, 8);
      expect(got.coefficient / want.coefficient).toBeCloseTo(1, 8);
      expect(xs).toEqual(xc);
      expect(ys).toEqual(yc);
    }
  });

  it('recovers the compute-optimal exponent a from Hoffmann et al.’s law', () => {
    const law = { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 };
    const budgets = [1e18, 1e19, 1e20, 1e21, 1e22];
    const sizes = budgets.map((C) => L.computeOptimal(law, C).parameters);
    expect(fitPowerLaw(budgets, sizes).exponent).toBeCloseTo(law.beta / (law.alpha + law.beta), 8);
  });
});

describe('ch09 isoFlopOptimum', () => {
  it("equals the library's IsoFLOP minimum on seeded random curves, in any order", () => {
    const rng = new L.Rng(910);
    for (let trial = 0; trial < 30; trial++) {
      const k = 3 + rng.int(5);
      const flops = 10 ** (8 + 4 * rng.next());
      const sizes = [...new Set(Array.from({ length: k }, () => Math.round(10 ** (2 + 4 * rng.next()))))];
      if (sizes.length < 3) continue;
      const runs = sizes.map((parameters) => ({ parameters, loss: 2 + rng.next() + 0.1 * rng.normal() }));
      const want = L.isoFlopMinimum(flops, runs);
      const got = isoFlopOptimum(flops, rng.shuffle([...runs]));
      expect(got.parameters / want.parameters).toBeCloseTo(1, 8);
      expect(got.tokens / want.tokens).toBeCloseTo(1, 8);
      expect(got.tokensPerParameter / want.tokensPerParameter).toBeCloseTo(1, 8);
    }
  });

  it('finds the law’s optimum from runs around it, as the chapter’s sweep does', () => {
    const law = { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 };
    const C = 1e21;
    const center = L.computeOptimal(law, C).parameters;
    const runs = [0.25, 0.5, 1.2, 2.5, 5].map((f) => ({
      parameters: center * f,
      loss: L.scalingLawLoss(law, center * f, C / (6 * center * f)),
    }));
    expect(isoFlopOptimum(C, runs).parameters / center).toBeCloseTo(1, 1);
  });

  it('refuses repeated sizes', () => {
    expect(() =>
      isoFlopOptimum(1e9, [
        { parameters: 10, loss: 3 },
        { parameters: 10, loss: 2 },
        { parameters: 30, loss: 2.5 },
      ]),
    ).toThrow(/size/);
  });
});
