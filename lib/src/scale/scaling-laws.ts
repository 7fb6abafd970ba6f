/**
 * Scaling laws, measured: train several model sizes at a few fixed compute budgets (IsoFLOP curves, Hoffmann et al.
 * 2022, "Training Compute-Optimal Large Language Models", approach 2), fit the loss as
 * L(N, D) = E + A/N^α + B/D^β (their approach 3), and read off the compute-optimal split of a budget between
 * parameters and tokens. N counts non-embedding parameters and C = 6·N·D, as Kaplan et al. 2020 ("Scaling Laws for
 * Neural Language Models", section 2.1) count them; Hoffmann et al. counted every parameter.
 * Everything here is plain float64 arithmetic on numbers, except the sweep, which trains GPTs.
 */
import { Rng } from '../core/random';
import { gptParameterCount, type GPTConfig } from '../model/gpt';
import { disposeNamed } from '../model/params';
import { sampleLMBatch } from '../training/batches';
import { gptLoss, trainTokenGPT } from '../training/char-gpt';
import { disposeAdamW } from '../training/adamw';
import { estimateLoss } from '../training/trainer';

/** N in C = 6·N·D: a GPT's parameters minus the token and position tables (Kaplan et al.'s non-embedding count). */
export function nonEmbeddingParameters(config: GPTConfig): number {
  const positions = (config.positional ?? 'learned') === 'learned' ? config.blockSize * config.nEmbd : 0;
  return gptParameterCount(config) - config.vocabSize * config.nEmbd - positions;
}

/** Tokens D that spend a budget of `flops` on a model of N parameters: D = C / (6·N). */
export function isoFlopTokens(flops: number, parameters: number): number {
  if (!(flops > 0) || !(parameters > 0))
    throw new Error(`isoFlopTokens needs a positive budget and parameter count, got C=${flops}, N=${parameters}`);
  return flops / (6 * parameters);
}

/** One training run of a sweep: which model, which budget, and how many steps of B×T tokens spend it. */
export interface SweepRun {
  /** FLOPs budget C this run belongs to. */
  budget: number;
  /** Index of the model in the list the sweep was planned from. */
  model: number;
  config: GPTConfig;
  /** Non-embedding parameters N. */
  parameters: number;
  /** D = C / (6N), the tokens the budget buys (not rounded). */
  tokens: number;
  /** Optimizer steps: D / (B·T), rounded to the nearest step. */
  steps: number;
  /** Tokens the rounded steps really train on: steps · B · T. */
  trainedTokens: number;
}

/**
 * Every (budget, model) pair whose IsoFLOP token count is between `minSteps` and `maxSteps` steps of `batchSize`
 * windows: the plan of an IsoFLOP sweep, budgets in the outer loop. The step limits leave out runs too short to
 * train and the longest runs of the smallest models at large budgets, far from the optimum and the slowest.
 */
export function planIsoFlopSweep(
  models: GPTConfig[],
  budgets: number[],
  o: { batchSize: number; minSteps?: number; maxSteps?: number },
): SweepRun[] {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new Error(`batchSize must be a positive integer, got ${o.batchSize}`);
  const minSteps = o.minSteps ?? 1;
  const maxSteps = o.maxSteps ?? Infinity;
  const runs: SweepRun[] = [];
  for (const budget of budgets) {
    models.forEach((config, model) => {
      const parameters = nonEmbeddingParameters(config);
      const tokens = isoFlopTokens(budget, parameters);
      const perStep = o.batchSize * config.blockSize;
      const steps = Math.round(tokens / perStep);
      if (steps >= minSteps && steps <= maxSteps)
        runs.push({ budget, model, config, parameters, tokens, steps, trainedTokens: steps * perStep });
    });
  }
  return runs;
}

/** A finished run: its plan, the validation loss it reached, and how long it took. */
export interface SweepResult extends SweepRun {
  /** Mean validation cross-entropy (nats per token) over the same fixed validation windows for every run. */
  valLoss: number;
  ms: number;
}

/** Options of `runScalingSweep`: the data, the plan and one training recipe for every run. */
export interface ScalingSweepOptions {
  runs: SweepRun[];
  trainIds: ArrayLike<number>;
  valIds: ArrayLike<number>;
  batchSize: number;
  /** Peak learning rate (warm-up then cosine to a tenth of it, ending at each run's last step). */
  maxLr?: number;
  /** Validation batches of B windows averaged for each run's final loss (default 20). */
  evalBatches?: number;
  seed?: number;
  /** Called after each run (progress in a notebook). */
  onRun?: (result: SweepResult, index: number) => void;
}

/**
 * Train every planned run from scratch with AdamW, each with its own cosine schedule that ends at its own last step
 * (as Hoffmann et al. did: a schedule longer than the run inflates the loss of short runs), and measure the
 * validation loss on fixed windows. Tensors are released after every run.
 */
export async function runScalingSweep(o: ScalingSweepOptions): Promise<SweepResult[]> {
  const seed = o.seed ?? 1337;
  const maxLr = o.maxLr ?? 3e-3;
  const evalBatches = o.evalBatches ?? 20;
  const results: SweepResult[] = [];
  for (const [index, run] of o.runs.entries()) {
    const started = Date.now();
    const { params, result } = await trainTokenGPT({
      config: run.config,
      trainIds: o.trainIds,
      valIds: o.valIds,
      steps: run.steps,
      batchSize: o.batchSize,
      maxLr,
      minLr: maxLr / 10,
      warmupSteps: Math.max(1, Math.floor(run.steps / 10)),
      evalEvery: run.steps + 1, // one evaluation at the start and one at the end, on a single batch each
      evalIters: 1,
      seed: seed + run.model,
    });
    // The same validation windows for every run, so differences between runs are the models', not the sample's.
    const valLoss = estimateLoss(
      params,
      gptLoss(run.config),
      (rng) => sampleLMBatch(o.valIds, o.batchSize, run.config.blockSize, rng),
      evalBatches,
      new Rng(seed + 0x51ee),
    );
    disposeAdamW(result.optimizer);
    disposeNamed(params);
    const done: SweepResult = { ...run, valLoss, ms: Date.now() - started };
    results.push(done);
    o.onRun?.(done, index);
    await new Promise((resolve) => setImmediate(resolve)); // let a notebook redraw its progress
  }
  return results;
}

/** One measured loss: N parameters trained on D tokens reached `loss`. */
export interface LossObservation {
  parameters: number;
  tokens: number;
  loss: number;
}

/** The fitted law L(N, D) = E + A/N^α + B/D^β. */
export interface ScalingLaw {
  /** Irreducible loss: the entropy of the text under an infinitely large model trained forever. */
  E: number;
  A: number;
  alpha: number;
  B: number;
  beta: number;
}

/** L(N, D) = E + A/N^α + B/D^β for one model size and token count. */
export function scalingLawLoss(law: ScalingLaw, parameters: number, tokens: number): number {
  return law.E + law.A / parameters ** law.alpha + law.B / tokens ** law.beta;
}

/** A fit's result: the law, its Huber objective on log losses, and whether an exponent stopped at the search's edge. */
export interface ScalingLawFit extends ScalingLaw {
  /** Σ Huber_δ(log L̂ − log L) over the observations. */
  objective: number;
  /** True when α or β ended on the edge of the search range: the data did not pin that exponent down. */
  atEdge: boolean;
}

/** Options of `fitScalingLaw`. */
export interface ScalingLawFitOptions {
  /** Search range of α and of β (default [0.02, 2]). */
  exponentRange?: [number, number];
  /** Grid points per exponent in each round (default 15). */
  grid?: number;
  /** Rounds of zooming the grid around the best point (default 5). */
  rounds?: number;
  /** Huber's δ on log-loss residuals (default 1e-3, as Hoffmann et al.). */
  delta?: number;
}

function huber(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/**
 * Weighted least squares for y ≈ E + A·x1 + B·x2 with E ≥ 0 and A, B > 0, from the weighted normal equations
 * G = XᵀWX (3, 3), h = XᵀWy (3) and yᵀWy; undefined when no such solution exists for these exponents.
 */
function constrainedLeastSquares(G: number[][], h: number[], yy: number): number[] | undefined {
  // Columns scaled to unit diagonal so that N^-α next to 1 does not ruin the elimination.
  const s = [Math.sqrt(G[0][0]) || 1, Math.sqrt(G[1][1]) || 1, Math.sqrt(G[2][2]) || 1];
  const g = (a: number, b: number) => G[a][b] / (s[a] * s[b]);
  const r = (a: number) => h[a] / s[a];
  let best: number[] | undefined;
  let bestErr = Infinity;
  for (const cols of ACTIVE_SETS) {
    const sol = solveSmall(
      cols.map((a) => cols.map((b) => g(a, b))),
      cols.map(r),
    );
    if (!sol || sol.some((v, i) => !(cols[i] === 0 ? v >= 0 : v > 0))) continue;
    const c = [0, 0, 0];
    for (let i = 0; i < cols.length; i++) c[cols[i]] = sol[i] / s[cols[i]];
    // Weighted squared error cᵀGc − 2cᵀh + yᵀWy, without another pass over the data.
    let err = yy;
    for (let i = 0; i < 3; i++) {
      err -= 2 * c[i] * h[i];
      for (let j = 0; j < 3; j++) err += c[i] * G[i][j] * c[j];
    }
    if (err < bestErr) [best, bestErr] = [c, err];
  }
  return best;
}

/** Solve a 1×1, 2×2 or 3×3 system by Cramer's rule (the fit solves hundreds of thousands); undefined when singular. */
function solveSmall(G: number[][], h: number[]): number[] | undefined {
  const n = h.length;
  if (n === 1) return Math.abs(G[0][0]) < 1e-12 ? undefined : [h[0] / G[0][0]];
  if (n === 2) {
    const det = G[0][0] * G[1][1] - G[0][1] * G[1][0];
    if (Math.abs(det) < 1e-12) return undefined;
    return [(h[0] * G[1][1] - G[0][1] * h[1]) / det, (G[0][0] * h[1] - h[0] * G[1][0]) / det];
  }
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const det = det3(G);
  if (Math.abs(det) < 1e-12) return undefined;
  return [0, 1, 2].map((c) => det3(G.map((row, i) => row.map((v, j) => (j === c ? h[i] : v)))) / det);
}

// The subsets of the columns (E, A, B) a solution may use: A and B always (the law has both terms, as Hoffmann et
// al.'s fit in log A and log B does), E when it comes out non-negative.
const ACTIVE_SETS = [
  [1, 2],
  [0, 1, 2],
];

/**
 * E, A, B for fixed exponents: the loss is linear in them, so a constrained weighted least squares solves it. Weights
 * 1/L² make the residuals relative, close to log-space residuals; a few Huber reweightings (IRLS) keep one bad run
 * from pulling the fit. Returns the law and its Huber objective on log losses.
 */
function fitLinearPart(obs: LossObservation[], alpha: number, beta: number, delta: number): ScalingLawFit {
  const n = obs.length;
  const x1 = obs.map((o) => o.parameters ** -alpha);
  const x2 = obs.map((o) => o.tokens ** -beta);
  const robust: number[] = new Array(n).fill(1);
  let law: ScalingLaw = { E: 0, A: 0, alpha, B: 0, beta };
  let objective = Infinity;
  for (let iter = 0; iter < 4; iter++) {
    const G = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const h = [0, 0, 0];
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const y = obs[i].loss;
      const w = robust[i] / (y * y);
      const [u, v] = [x1[i], x2[i]];
      G[0][0] += w;
      G[0][1] += w * u;
      G[0][2] += w * v;
      G[1][1] += w * u * u;
      G[1][2] += w * u * v;
      G[2][2] += w * v * v;
      h[0] += w * y;
      h[1] += w * u * y;
      h[2] += w * v * y;
      yy += w * y * y;
    }
    [G[1][0], G[2][0], G[2][1]] = [G[0][1], G[0][2], G[1][2]];
    const solved = constrainedLeastSquares(G, h, yy);
    if (!solved) return { ...law, objective: Infinity, atEdge: false };
    const [E, A, B] = solved;
    law = { E, A, alpha, B, beta };
    objective = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.log(E + A * x1[i] + B * x2[i]) - Math.log(obs[i].loss);
      objective += huber(r, delta);
      robust[i] = Math.abs(r) <= delta ? 1 : delta / Math.abs(r);
    }
  }
  return { ...law, objective: Number.isFinite(objective) ? objective : Infinity, atEdge: false };
}

/**
 * Fit L(N, D) = E + A/N^α + B/D^β to measured losses (Hoffmann et al.'s form and Huber objective on log L):
 * a grid over (α, β), zoomed around the best point a few times, with E ≥ 0 and A, B > 0 solved for each pair.
 */
export function fitScalingLaw(obs: LossObservation[], o: ScalingLawFitOptions = {}): ScalingLawFit {
  if (obs.length < 5)
    throw new Error(`fitting E, A, α, B, β needs at least 5 observations, got ${obs.length}: add runs to the sweep`);
  for (const x of obs) {
    if (!(x.parameters > 0 && x.tokens > 0 && x.loss > 0))
      throw new Error(`observations need positive N, D and loss, got N=${x.parameters}, D=${x.tokens}, L=${x.loss}`);
  }
  const [lo, hi] = o.exponentRange ?? [0.02, 2];
  const grid = o.grid ?? 15;
  const rounds = o.rounds ?? 5;
  const delta = o.delta ?? 1e-3;
  let range = { alpha: [lo, hi], beta: [lo, hi] };
  let best: ScalingLawFit | undefined;
  for (let round = 0; round < rounds; round++) {
    const at = (r: number[], i: number) => r[0] + ((r[1] - r[0]) * i) / (grid - 1);
    for (let i = 0; i < grid; i++) {
      for (let j = 0; j < grid; j++) {
        const fit = fitLinearPart(obs, at(range.alpha, i), at(range.beta, j), delta);
        if (!best || fit.objective < best.objective) best = fit;
      }
    }
    // Zoom: the next grid spans two of this round's cells either side of the best point, inside the search range.
    const cell = (r: number[]) => (2 * (r[1] - r[0])) / (grid - 1);
    const around = (v: number, r: number[]): number[] => [Math.max(lo, v - cell(r)), Math.min(hi, v + cell(r))];
    range = { alpha: around(best!.alpha, range.alpha), beta: around(best!.beta, range.beta) };
  }
  if (!Number.isFinite(best!.objective))
    throw new Error(
      'no exponents in the search range give positive A and B: the losses do not fall with N or with D; check the runs',
    );
  const edge = (v: number) => Math.abs(v - lo) < 1e-9 || Math.abs(v - hi) < 1e-9;
  return { ...best!, atEdge: edge(best!.alpha) || edge(best!.beta) };
}

/** The compute-optimal model for a budget under a law. */
export interface ComputeOptimal {
  flops: number;
  parameters: number;
  tokens: number;
  tokensPerParameter: number;
  loss: number;
}

/**
 * Minimise L(N, C/(6N)) over N: N_opt = G·(C/6)^(β/(α+β)) with G = (αA/(βB))^(1/(α+β)), D_opt = C/(6·N_opt)
 * (Hoffmann et al. equation 4). Tokens per parameter at the optimum grow as C^((α−β)/(α+β)).
 */
export function computeOptimal(law: ScalingLaw, flops: number): ComputeOptimal {
  if (!(flops > 0)) throw new Error(`computeOptimal needs a positive FLOPs budget, got ${flops}`);
  if (!(law.A > 0 && law.B > 0 && law.alpha > 0 && law.beta > 0))
    throw new Error(
      `a compute-optimal model exists only when A, B, α, β > 0, got A=${law.A}, α=${law.alpha}, B=${law.B}, β=${law.beta}`,
    );
  const s = law.alpha + law.beta;
  const G = ((law.alpha * law.A) / (law.beta * law.B)) ** (1 / s);
  const parameters = G * (flops / 6) ** (law.beta / s);
  const tokens = flops / (6 * parameters);
  return {
    flops,
    parameters,
    tokens,
    tokensPerParameter: tokens / parameters,
    loss: scalingLawLoss(law, parameters, tokens),
  };
}

/** Least-squares line through (log x, log y): y ≈ coefficient · x^exponent. */
export function fitPowerLaw(xs: number[], ys: number[]): { exponent: number; coefficient: number } {
  if (xs.length !== ys.length || xs.length < 2)
    throw new Error(`a power law needs at least 2 (x, y) pairs of equal count, got ${xs.length} x and ${ys.length} y`);
  if ([...xs, ...ys].some((v) => !(v > 0)))
    throw new Error('a power law is fitted in log space: every x and y must be > 0');
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  const sxx = lx.reduce((a, x) => a + (x - mx) ** 2, 0);
  if (sxx === 0) throw new Error('every x is the same: a power law needs at least two different x values');
  const exponent = lx.reduce((a, x, i) => a + (x - mx) * (ly[i] - my), 0) / sxx;
  return { exponent, coefficient: Math.exp(my - exponent * mx) };
}

/** The bottom of one IsoFLOP curve: a parabola in log N fitted to the losses. */
export interface IsoFlopMinimum {
  flops: number;
  parameters: number;
  tokens: number;
  tokensPerParameter: number;
  loss: number;
  /** The best run is not the smallest or largest size, and the parabola's bottom lies between its neighbours. */
  inRange: boolean;
}

/**
 * The compute-optimal N for one budget (Hoffmann et al. approach 2): the parabola loss = a·(log N)² + b·log N + c
 * through the best run and its neighbours in N (≥ 3 distinct sizes), and its bottom; a bottom outside those runs,
 * or a parabola that opens downward, is clamped to them and flagged as not in range.
 */
export function isoFlopMinimum(flops: number, points: { parameters: number; loss: number }[]): IsoFlopMinimum {
  // One point per size (the mean where a size repeats, as in a bootstrap resample), sorted by N.
  const bySize = new Map<number, number[]>();
  for (const p of points) bySize.set(p.parameters, [...(bySize.get(p.parameters) ?? []), p.loss]);
  const curve = [...bySize.entries()]
    .map(([parameters, losses]) => ({
      x: Math.log(parameters),
      loss: losses.reduce((a, b) => a + b, 0) / losses.length,
    }))
    .sort((p, q) => p.x - q.x);
  if (curve.length < 3)
    throw new Error(`an IsoFLOP minimum needs at least 3 model sizes at budget ${flops}, got ${curve.length}`);
  const best = curve.reduce((bi, p, i) => (p.loss < curve[bi].loss ? i : bi), 0);
  const from = Math.min(Math.max(best - 1, 0), curve.length - 3);
  const [p0, p1, p2] = curve.slice(from, from + 3);
  // The parabola through three points, in divided differences: a = second difference, then b and c.
  const d01 = (p1.loss - p0.loss) / (p1.x - p0.x);
  const d12 = (p2.loss - p1.loss) / (p2.x - p1.x);
  const a = (d12 - d01) / (p2.x - p0.x);
  const b = d01 - a * (p0.x + p1.x);
  const c = p0.loss - a * p0.x * p0.x - b * p0.x;
  let x = curve[best].x;
  let inRange = false;
  if (a > 0) {
    const bottom = -b / (2 * a);
    inRange = bottom >= p0.x && bottom <= p2.x && best > 0 && best < curve.length - 1;
    x = Math.min(p2.x, Math.max(p0.x, bottom));
  }
  const loss = a > 0 ? a * x * x + b * x + c : curve[best].loss;
  const parameters = Math.exp(x);
  const tokens = isoFlopTokens(flops, parameters);
  return { flops, parameters, tokens, tokensPerParameter: tokens / parameters, loss, inRange };
}

/** The compute-optimal frontier from IsoFLOP curves: each budget's best N, and N_opt ∝ C^a, D_opt ∝ C^b across budgets. */
export interface IsoFlopFrontier {
  minima: IsoFlopMinimum[];
  /** N_opt ∝ C^a (Hoffmann et al. found a ≈ 0.5; Kaplan et al. 0.73). */
  a: number;
  /** D_opt ∝ C^b, b = 1 − a when D = C/(6N). */
  b: number;
}

/** IsoFLOP minima per budget and the power laws through them, from results carrying budget, N and loss. */
export function isoFlopFrontier(results: { budget: number; parameters: number; loss: number }[]): IsoFlopFrontier {
  const budgets = [...new Set(results.map((r) => r.budget))].sort((x, y) => x - y);
  const minima = budgets.map((C) =>
    isoFlopMinimum(
      C,
      results.filter((r) => r.budget === C),
    ),
  );
  if (minima.length < 2) throw new Error(`a frontier needs at least 2 budgets, got ${minima.length}`);
  const flops = minima.map((m) => m.flops);
  return {
    minima,
    a: fitPowerLaw(
      flops,
      minima.map((m) => m.parameters),
    ).exponent,
    b: fitPowerLaw(
      flops,
      minima.map((m) => m.tokens),
    ).exponent,
  };
}

/** A percentile interval from a bootstrap. */
export interface BootstrapInterval {
  /** The statistic on the data as measured. */
  estimate: number;
  low: number;
  high: number;
}

/** Bootstrap intervals for named statistics, and how many resamples gave a value. */
export interface BootstrapResult {
  intervals: Record<string, BootstrapInterval>;
  /** Resamples whose statistic could be computed (a resample can lose the points a fit needs). */
  kept: number;
  resamples: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of sorted numbers, interpolating linearly between neighbours. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Percentile bootstrap: recompute `statistic` on `resamples` resamples of `items` drawn with replacement (within each
 * group of `groupOf`, so every budget keeps its count of runs), seeded; intervals hold the central `level` of values.
 * A resample where `statistic` throws or returns undefined is skipped and not counted in `kept`.
 */
export function bootstrap<T>(
  items: T[],
  statistic: (sample: T[]) => Record<string, number> | undefined,
  o: { resamples?: number; seed?: number; level?: number; groupOf?: (item: T) => string | number } = {},
): BootstrapResult {
  const resamples = o.resamples ?? 200;
  const level = o.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap level must be in (0, 1), got ${level}`);
  const estimate = statistic(items);
  if (!estimate) throw new Error('the statistic gave no value on the data itself');
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const key = o.groupOf?.(item) ?? 0;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const rng = new Rng(o.seed ?? 1337);
  const values: Record<string, number[]> = Object.fromEntries(Object.keys(estimate).map((k) => [k, []]));
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    const sample: T[] = [];
    for (const group of groups.values())
      for (let i = 0; i < group.length; i++) sample.push(group[rng.int(group.length)]);
    let stat: Record<string, number> | undefined;
    try {
      stat = statistic(sample);
    } catch {
      stat = undefined;
    }
    if (!stat || Object.keys(estimate).some((k) => !Number.isFinite(stat![k]))) continue;
    kept++;
    for (const k of Object.keys(estimate)) values[k].push(stat[k]);
  }
  const intervals: Record<string, BootstrapInterval> = {};
  for (const [k, vs] of Object.entries(values)) {
    vs.sort((x, y) => x - y);
    intervals[k] = {
      estimate: estimate[k],
      low: vs.length ? quantile(vs, (1 - level) / 2) : NaN,
      high: vs.length ? quantile(vs, (1 + level) / 2) : NaN,
    };
  }
  return { intervals, kept, resamples };
}

/** Tokens per parameter at the compute optimum that Hoffmann et al. 2022 found (about 20: Chinchilla, 70B on 1.4T). */
export const CHINCHILLA_TOKENS_PER_PARAMETER = 20;
