import { describe, expect, it } from 'vitest';
import {
  deltaFromRdp,
  dpSgdEpsilon,
  epsilonFromRdp,
  logErfc,
  logGamma,
  noiseForEpsilon,
  rdpSampledGaussian,
} from '@how-llms-work/lib';

// Expected values are the published ones in TF-Privacy's rdp_accountant_test.py and Google's
// dp_accounting rdp_privacy_accountant_test.py (github.com/tensorflow/privacy, github.com/google/differential-privacy).
describe('log-space helpers', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('logErfc matches erfc at known points and stays finite in the far tail', () => {
    expect(Math.exp(logErfc(0))).toBeCloseTo(1, 14);
    expect(Math.exp(logErfc(1))).toBeCloseTo(0.157299207050285, 13);
    expect(Math.exp(logErfc(-1))).toBeCloseTo(1.842700792949715, 13);
    expect(Math.exp(logErfc(3)) / 2.209049699858544e-5).toBeCloseTo(1, 10);
    expect(Math.exp(logErfc(5)) / 1.537459794428035e-12).toBeCloseTo(1, 10);
    // erfc(30) underflows a double; its log does not (scipy: log 2 + log_ndtr(-30√2)).
    expect(logErfc(30)).toBeCloseTo(-903.9741171106442, 9);
  });
});

describe('RDP of the sampled Gaussian mechanism', () => {
  it('reproduces TF-Privacy compute_rdp(q=0.1, σ=2, steps=10, order 5) = 0.07737', () => {
    expect(rdpSampledGaussian(0.1, 2, 10, [5])[0]).toBeCloseTo(0.07737, 5);
  });

  it('reproduces dp_accounting q=0.01, σ=2.5, 50 steps at fractional, integer and infinite orders', () => {
    const got = rdpSampledGaussian(0.01, 2.5, 50, [1.5, 2.5, 5, 50, 100, Infinity]);
    const want = [6.70579741e-4, 1.0854871e-3, 2.18075656e-3, 2.38460375e-2, 1.67416308e2];
    want.forEach((w, i) => expect(got[i] / w).toBeCloseTo(1, 4));
    expect(got[5]).toBe(Infinity);
  });

  it('is exact at the edges: no sampling gives α/(2σ²), no data gives 0', () => {
    expect(rdpSampledGaussian(1, 10, 1, [20])[0]).toBeCloseTo(0.1, 12);
    expect(rdpSampledGaussian(0, 10, 1, [20])[0]).toBe(0);
  });

  it('names a bad sampling rate', () => {
    expect(() => rdpSampledGaussian(1.5, 1, 1)).toThrow(/sampling rate q must be in \[0, 1\].*got 1.5/);
  });
});

describe('RDP to (ε, δ)', () => {
  it('pure-DP constant RDP 1.1 over orders 2..32 gives ε = 1.32783806176 at order 32 (δ = 1e-5)', () => {
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const { epsilon, order } = epsilonFromRdp(
      orders,
      orders.map(() => 1.1),
      1e-5,
    );
    expect(epsilon).toBeCloseTo(1.32783806176, 9);
    expect(order).toBe(32);
    expect(
      deltaFromRdp(
        orders,
        orders.map(() => 1.1),
        1.32783806176,
      ).delta,
    ).toBeCloseTo(1e-5, 12);
  });

  it('the Gaussian with σ = 4.530877117 and no sampling is exactly (1, 1e-6)-DP', () => {
    const orders = Array.from({ length: 99000 }, (_, i) => 0.001 * (i + 1001));
    const rdp = rdpSampledGaussian(1, 4.530877117, 1, orders);
    expect(epsilonFromRdp(orders, rdp, 1e-6).epsilon).toBeCloseTo(1, 6);
    expect(deltaFromRdp(orders, rdp, 1).delta).toBeCloseTo(1e-6, 10);
  });

  it('composing two runs stays under the published 8.509656 bound', () => {
    const orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
    const a = rdpSampledGaussian(1e-4, 0.4, 40000, orders);
    const b = rdpSampledGaussian(0.1, 2, 100, orders);
    const { epsilon } = epsilonFromRdp(
      orders,
      a.map((r, i) => r + b[i]),
      1e-5,
    );
    expect(epsilon).toBeLessThanOrEqual(8.509656);
    expect(epsilon).toBeGreaterThan(7); // the tighter conversion gains a little, not a lot
  });

  it('ε grows with steps and shrinks with noise; noiseForEpsilon inverts dpSgdEpsilon', () => {
    const base = { sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps: 1000, delta: 1e-5 };
    const e1 = dpSgdEpsilon(base).epsilon;
    expect(dpSgdEpsilon({ ...base, steps: 4000 }).epsilon).toBeGreaterThan(e1);
    expect(dpSgdEpsilon({ ...base, noiseMultiplier: 2 }).epsilon).toBeLessThan(e1);
    const sigma = noiseForEpsilon(e1, { sampleRate: base.sampleRate, steps: base.steps, delta: base.delta });
    expect(sigma).toBeCloseTo(1.1, 3);
  });

  it('names a bad δ', () => {
    expect(() => epsilonFromRdp([2], [1], 0)).toThrow(/delta must be in \(0, 1\), got 0/);
  });
});
