import { describe, expect, it } from 'vitest';
import {
  Rng,
  bootstrap,
  computeOptimal,
  countParameters,
  disposeNamed,
  fitPowerLaw,
  fitScalingLaw,
  initGPT,
  isoFlopFrontier,
  isoFlopMinimum,
  nonEmbeddingParameters,
  planIsoFlopSweep,
  quantile,
  runScalingSweep,
  scalingLawLoss,
  tf,
  type GPTConfig,
  type LossObservation,
  type ScalingLaw,
} from '@how-llms-work/lib';

// Hoffmann et al. 2022's fitted law (their equation 10): E 1.69, A 406.4, α 0.34, B 410.7, β 0.28.
const CHINCHILLA: ScalingLaw = { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 };

/** Losses from a known law on a grid of N and D, times exp(noise · normal), seeded. */
function synthetic(law: ScalingLaw, noise: number, seed = 1): LossObservation[] {
  const rng = new Rng(seed);
  const obs: LossObservation[] = [];
  for (const parameters of [1e7, 3e7, 1e8, 3e8, 1e9, 3e9])
    for (const tokens of [1e9, 3e9, 1e10, 3e10, 1e11, 3e11])
      obs.push({ parameters, tokens, loss: scalingLawLoss(law, parameters, tokens) * Math.exp(noise * rng.normal()) });
  return obs;
}

describe('fitting L(N, D) = E + A/N^α + B/D^β', () => {
  it('recovers the law exactly from noiseless losses', () => {
    const fit = fitScalingLaw(synthetic(CHINCHILLA, 0));
    expect(fit.alpha).toBeCloseTo(CHINCHILLA.alpha, 2);
    expect(fit.beta).toBeCloseTo(CHINCHILLA.beta, 2);
    expect(fit.E).toBeCloseTo(CHINCHILLA.E, 1);
    expect(fit.atEdge).toBe(false);
    for (const [N, D] of [
      [5e7, 5e9],
      [2e9, 2e11],
    ])
      expect(scalingLawLoss(fit, N, D) / scalingLawLoss(CHINCHILLA, N, D)).toBeCloseTo(1, 4);
  });

  it('recovers the exponents from losses with 0.3% noise and one wild run', () => {
    const obs = synthetic(CHINCHILLA, 0.003, 7);
    obs[10] = { ...obs[10], loss: obs[10].loss * 1.3 }; // a diverged run: Huber keeps it from pulling the fit
    const fit = fitScalingLaw(obs);
    expect(Math.abs(fit.alpha - CHINCHILLA.alpha)).toBeLessThan(0.05);
    expect(Math.abs(fit.beta - CHINCHILLA.beta)).toBeLessThan(0.05);
    expect(Math.abs(fit.E - CHINCHILLA.E)).toBeLessThan(0.15);
  });

  it('finds no D term in losses that do not depend on D, and names a too-small data set', () => {
    const flat = synthetic({ ...CHINCHILLA, B: 0 }, 0);
    const fit = fitScalingLaw(flat);
    expect(fit.B / 1e9 ** fit.beta < 1e-3 || fit.atEdge).toBe(true); // the D term at the smallest D: negligible
    expect(() => fitScalingLaw(flat.slice(0, 4))).toThrow(/at least 5 observations, got 4/);
  });
});

describe('the compute-optimal frontier', () => {
  it('computeOptimal matches a brute-force search over N at fixed C = 6ND', () => {
    for (const C of [1e18, 1e21, 5.76e23]) {
      const opt = computeOptimal(CHINCHILLA, C);
      let bestN = 0;
      let bestLoss = Infinity;
      for (let logN = 5; logN < 13; logN += 1e-4) {
        const N = 10 ** logN;
        const loss = scalingLawLoss(CHINCHILLA, N, C / (6 * N));
        if (loss < bestLoss) [bestN, bestLoss] = [N, loss];
      }
      expect(opt.parameters / bestN).toBeCloseTo(1, 2);
      expect((6 * opt.parameters * opt.tokens) / C).toBeCloseTo(1, 12);
      expect(opt.loss).toBeCloseTo(bestLoss, 8);
    }
    // Chinchilla's budget (5.76e23 FLOPs) under its own law: tens of billions of parameters, ~20 tokens each.
    const chinchilla = computeOptimal(CHINCHILLA, 5.76e23);
    expect(chinchilla.parameters).toBeGreaterThan(1e10);
    expect(chinchilla.tokensPerParameter).toBeGreaterThan(10);
    expect(chinchilla.tokensPerParameter).toBeLessThan(100);
  });

  it('an IsoFLOP parabola finds the known minimum, and the frontier its exponent a = β/(α+β)', () => {
    const budgets = [1e19, 1e20, 1e21, 1e22];
    const results = budgets.flatMap((budget) => {
      const center = computeOptimal(CHINCHILLA, budget).parameters;
      return [0.25, 0.5, 1, 2, 4].map((f) => {
        const parameters = center * f;
        return { budget, parameters, loss: scalingLawLoss(CHINCHILLA, parameters, budget / (6 * parameters)) };
      });
    });
    const frontier = isoFlopFrontier(results);
    for (const m of frontier.minima) {
      expect(m.inRange).toBe(true);
      expect(m.parameters / computeOptimal(CHINCHILLA, m.flops).parameters).toBeCloseTo(1, 1);
    }
    const a = CHINCHILLA.beta / (CHINCHILLA.alpha + CHINCHILLA.beta);
    expect(frontier.a).toBeCloseTo(a, 2);
    expect(frontier.a + frontier.b).toBeCloseTo(1, 10);
    // A downward parabola (loss falling with N throughout) has no bottom in range.
    const falling = isoFlopMinimum(1e20, [
      { parameters: 1e6, loss: 3 },
      { parameters: 1e7, loss: 2.9 },
      { parameters: 1e8, loss: 2 },
    ]);
    expect(falling.inRange).toBe(false);
  });

  it('fitPowerLaw is least squares in log space', () => {
    const xs = [1, 10, 100, 1000];
    const fit = fitPowerLaw(
      xs,
      xs.map((x) => 3 * x ** 0.7),
    );
    expect(fit.exponent).toBeCloseTo(0.7, 10);
    expect(fit.coefficient).toBeCloseTo(3, 10);
    expect(() => fitPowerLaw([1, 1], [2, 3])).toThrow(/two different x/);
  });
});

describe('IsoFLOP sweep planning', () => {
  const models: GPTConfig[] = [16, 32, 48].map((nEmbd) => ({
    vocabSize: 65,
    blockSize: 32,
    nLayer: 2,
    nHead: 2,
    nEmbd,
  }));

  it('counts N without the embedding tables, as Kaplan et al. do', () => {
    const config = models[1];
    const params = initGPT(config, 1);
    const expected = countParameters(params, (n) => n !== 'transformer.wte.weight' && n !== 'transformer.wpe.weight');
    disposeNamed(params);
    expect(nonEmbeddingParameters(config)).toBe(expected);
  });

  it('gives every run D = C/(6N) tokens and rounds to whole steps of B·T', () => {
    const budgets = [1e9, 3e9];
    const plan = planIsoFlopSweep(models, budgets, { batchSize: 8, minSteps: 2 });
    expect(plan.length).toBeGreaterThan(3);
    for (const run of plan) {
      expect((6 * run.parameters * run.tokens) / run.budget).toBeCloseTo(1, 12);
      expect(Math.abs(run.trainedTokens - run.tokens)).toBeLessThanOrEqual((8 * 32) / 2);
      expect(run.trainedTokens).toBe(run.steps * 8 * 32);
    }
    // A budget too small for minSteps drops the run instead of training for zero steps; maxSteps drops the longest.
    expect(planIsoFlopSweep(models, [1e3], { batchSize: 8, minSteps: 1 })).toEqual([]);
    const capped = planIsoFlopSweep(models, budgets, { batchSize: 8, minSteps: 2, maxSteps: 100 });
    expect(capped.length).toBeGreaterThan(0);
    expect(capped.length).toBeLessThan(plan.length);
    for (const run of capped) expect(run.steps).toBeLessThanOrEqual(100);
  });

  it('trains a tiny sweep to finite losses without leaking tensors', async () => {
    const rng = new Rng(3);
    const ids = Int32Array.from({ length: 4000 }, (_, i) => (i % 13) + (rng.next() < 0.1 ? 1 : 0));
    const plan = planIsoFlopSweep(models.slice(0, 2), [6 * nonEmbeddingParameters(models[0]) * 8 * 32 * 3], {
      batchSize: 8,
    });
    const before = tf.memory().numTensors;
    const results = await runScalingSweep({
      runs: plan,
      trainIds: ids.subarray(0, 3600),
      valIds: ids.subarray(3600),
      batchSize: 8,
      evalBatches: 2,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(results.map((r) => r.steps)).toEqual(plan.map((r) => r.steps));
    for (const r of results) expect(r.valLoss).toBeGreaterThan(0);
    for (const r of results) expect(r.valLoss).toBeLessThan(Math.log(65) + 1);
  });
});

describe('bootstrap intervals', () => {
  const obs = synthetic(CHINCHILLA, 0.01, 5);
  const mean = (xs: LossObservation[]) => ({ mean: xs.reduce((a, o) => a + o.loss, 0) / xs.length });

  it('is seeded: the same seed gives the same intervals, another seed other ones', () => {
    const a = bootstrap(obs, mean, { resamples: 100, seed: 4 });
    const b = bootstrap(obs, mean, { resamples: 100, seed: 4 });
    const c = bootstrap(obs, mean, { resamples: 100, seed: 5 });
    expect(a).toEqual(b);
    expect(c.intervals.mean.low).not.toBe(a.intervals.mean.low);
    expect(a.kept).toBe(100);
    expect(a.intervals.mean.low).toBeLessThan(a.intervals.mean.estimate);
    expect(a.intervals.mean.high).toBeGreaterThan(a.intervals.mean.estimate);
  });

  it('resamples within groups and brackets the exponents of a noisy law', () => {
    const sizes: number[] = [];
    const r = bootstrap(
      obs,
      (sample) => {
        sizes.push(sample.filter((o) => o.parameters === 1e7).length);
        const fit = fitScalingLaw(sample, { grid: 12, rounds: 3 });
        return { alpha: fit.alpha, beta: fit.beta };
      },
      { resamples: 20, seed: 2, groupOf: (o) => o.parameters },
    );
    expect(new Set(sizes)).toEqual(new Set([6])); // every N keeps its six runs
    expect(r.intervals.alpha.low).toBeLessThanOrEqual(r.intervals.alpha.high);
    expect(r.intervals.alpha.low - 0.05).toBeLessThan(CHINCHILLA.alpha);
    expect(r.intervals.alpha.high + 0.05).toBeGreaterThan(CHINCHILLA.alpha);
  });

  it('quantile interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([7], 0.9)).toBe(7);
  });
});
