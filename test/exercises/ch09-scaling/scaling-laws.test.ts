// Tests of exercises/ch09-scaling/scaling-laws.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { fitPowerLaw, isoFlopOptimum } from '@exercises/ch09-scaling/scaling-laws';

describe('ch09 fitPowerLaw', () => {
  it('recovers the example and an exact power law', () => {
    const ex = fitPowerLaw([1, 10, 100], [3, 30, 300]);
    expect(ex.exponent).toBeCloseTo(1, 10);
    expect(ex.coefficient).toBeCloseTo(3, 10);
    const xs = [2, 5, 40, 1e3, 3e4];
    const fit = fitPowerLaw(
      xs,
      xs.map((x) => 0.5 * x ** -0.28),
    );
    expect(fit.exponent).toBeCloseTo(-0.28, 10);
    expect(fit.coefficient).toBeCloseTo(0.5, 10);
  });

  it('is least squares in log space: the residuals of ln y sum to zero', () => {
    const xs = [1, 2, 4, 8, 16];
    const ys = [1, 2.5, 3.5, 9, 15];
    const { exponent, coefficient } = fitPowerLaw(xs, ys);
    const residuals = xs.map((x, i) => Math.log(ys[i]) - Math.log(coefficient) - exponent * Math.log(x));
    expect(residuals.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(residuals.reduce((a, r, i) => a + r * Math.log(xs[i]), 0)).toBeCloseTo(0, 10);
  });

  it('refuses values it cannot take the log of, and xs that are all equal', () => {
    expect(() => fitPowerLaw([1, 2], [1, -3])).toThrow(/-3/);
    expect(() => fitPowerLaw([0, 2], [1, 3])).toThrow(/0/);
    expect(() => fitPowerLaw([5, 5], [1, 3])).toThrow();
  });
});

describe('ch09 isoFlopOptimum', () => {
  const parabola = (N: number, center: number) => 2 + (Math.log(N) - Math.log(center)) ** 2;

  it('finds the worked example and spends the budget: 6 · N* · D* = C', () => {
    const runs = [100, 1000, 10000].map((parameters) => ({ parameters, loss: parabola(parameters, 1000) }));
    const opt = isoFlopOptimum(6e9, runs);
    expect(opt.parameters).toBeCloseTo(1000, 6);
    expect(opt.tokens).toBeCloseTo(1e6, 3);
    expect(opt.tokensPerParameter).toBeCloseTo(1000, 6);
    expect((6 * opt.parameters * opt.tokens) / 6e9).toBeCloseTo(1, 12);
  });

  it('finds a bottom between runs, in any order of the runs', () => {
    const runs = [300, 30, 3000, 10, 100].map((parameters) => ({ parameters, loss: parabola(parameters, 200) }));
    expect(isoFlopOptimum(1e10, runs).parameters).toBeCloseTo(200, 6);
  });

  it('keeps the bottom within the runs when the best run is at an end of the curve', () => {
    const falling = [10, 100, 1000, 10000].map((parameters) => ({ parameters, loss: 5 - Math.log(parameters) / 10 }));
    expect(isoFlopOptimum(1e10, falling).parameters).toBeCloseTo(10000, 6);
  });

  it('needs three runs of different sizes', () => {
    expect(() =>
      isoFlopOptimum(1e9, [
        { parameters: 10, loss: 3 },
        { parameters: 20, loss: 2 },
      ]),
    ).toThrow(/3 runs, got 2/);
  });
});
