/**
 * The privacy budget of DP-SGD: Rényi differential privacy (RDP) of the sampled Gaussian
 * mechanism, composed over training steps and converted to an (ε, δ) guarantee.
 *
 * Each step samples every example with probability q (Poisson sampling), clips each example's
 * gradient to norm C and adds N(0, σ²C²) noise to the sum. Mironov, Talwar and Zhang,
 * "Rényi Differential Privacy of the Sampled Gaussian Mechanism" (2019,
 * <https://arxiv.org/abs/1908.10530>) give its RDP at order α as log(A_α)/(α−1), with A_α an
 * expectation they write as a sum (integer α, Sec. 3.2) or two series (fractional α, Sec. 3.3).
 * RDP adds up over steps; the conversion to (ε, δ) is Proposition 12 of Canonne, Kamath and
 * Steinke (2020, <https://arxiv.org/abs/2004.00010>). This is the accountant TF-Privacy and
 * Google's dp_accounting ship, and the tests check it against the values in their test suites.
 */
import { logAddExp, logBinomial, logErfc } from './log-math';

/** The orders Opacus and TF-Privacy try by default: fine near 1, coarse far out. */
export const DEFAULT_RDP_ORDERS: number[] = [
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10), // 1.1 … 10.9
  ...Array.from({ length: 52 }, (_, i) => 12 + i), // 12 … 63
];

/** log A_α for integer α: a binomial mixture of the two Gaussians' moments. */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  for (let i = 0; i <= alpha; i++) {
    const logCoef = logBinomial(alpha, i) + i * Math.log(q) + (alpha - i) * Math.log1p(-q);
    logA = logAddExp(logA, logCoef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

/** log A_α for fractional α: two series split at z₀, summed until both tails are negligible. */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let lastS0 = -Infinity;
  let lastS1 = -Infinity;
  for (let i = 0; i < 1000; i++) {
    const logCoef = logBinomial(alpha, i);
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const s0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const s1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    logA0 = logAddExp(logA0, s0);
    logA1 = logAddExp(logA1, s1);
    const total = logAddExp(logA0, logA1);
    if (s0 < lastS0 && s1 < lastS1 && Math.max(s0, s1) < total - 30) return total;
    lastS0 = s0;
    lastS1 = s1;
  }
  return Infinity; // did not converge: this order gives no usable bound
}

function checkSampling(q: number, sigma: number, steps: number): void {
  if (!(q >= 0 && q <= 1)) throw new Error(`sampling rate q must be in [0, 1] (batch size / dataset size), got ${q}`);
  if (!(sigma >= 0)) throw new Error(`noise multiplier must be ≥ 0, got ${sigma}`);
  if (!(Number.isInteger(steps) && steps >= 0)) throw new Error(`steps must be a non-negative integer, got ${steps}`);
}

/** RDP of `steps` compositions of the sampled Gaussian mechanism at each order (orders.length). */
export function rdpSampledGaussian(
  q: number,
  noiseMultiplier: number,
  steps: number,
  orders: number[] = DEFAULT_RDP_ORDERS,
): number[] {
  checkSampling(q, noiseMultiplier, steps);
  return orders.map((alpha) => {
    if (!(alpha > 1)) throw new Error(`RDP orders must be > 1, got ${alpha}`);
    if (q === 0 || steps === 0) return 0;
    if (alpha === Infinity || noiseMultiplier === 0) return Infinity;
    if (q === 1) return (steps * alpha) / (2 * noiseMultiplier ** 2);
    const logA = Number.isInteger(alpha) ? logAInt(q, noiseMultiplier, alpha) : logAFrac(q, noiseMultiplier, alpha);
    return (steps * logA) / (alpha - 1);
  });
}

/** The smallest ε over orders with (ε, δ)-DP implied by RDP values rdp (orders.length). */
export function epsilonFromRdp(orders: number[], rdp: number[], delta: number): { epsilon: number; order: number } {
  if (orders.length !== rdp.length)
    throw new Error(`orders and rdp must have the same length, got ${orders.length} and ${rdp.length}`);
  if (!(delta > 0 && delta < 1)) throw new Error(`delta must be in (0, 1), got ${delta}; pick it below 1/dataset size`);
  let best = { epsilon: Infinity, order: orders[0] };
  orders.forEach((a, i) => {
    const r = rdp[i];
    let eps: number;
    if (r <= 0 || delta * delta + Math.expm1(-r) > 0)
      eps = 0; // the KL bound already gives δ
    else if (a > 1.01) eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
    else eps = Infinity;
    if (eps < best.epsilon) best = { epsilon: eps, order: a };
  });
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}

/** The smallest δ over orders with (ε, δ)-DP implied by RDP values rdp (orders.length). */
export function deltaFromRdp(orders: number[], rdp: number[], epsilon: number): { delta: number; order: number } {
  if (orders.length !== rdp.length)
    throw new Error(`orders and rdp must have the same length, got ${orders.length} and ${rdp.length}`);
  if (!(epsilon >= 0)) throw new Error(`epsilon must be ≥ 0, got ${epsilon}`);
  let best = { logDelta: Infinity, order: orders[0] };
  orders.forEach((a, i) => {
    const r = rdp[i];
    let logDelta = r <= 0 ? -Infinity : 0.5 * Math.log1p(-Math.exp(-r));
    if (a > 1.01) logDelta = Math.min(logDelta, (a - 1) * (r - epsilon + Math.log1p(-1 / a)) - Math.log(a));
    if (logDelta < best.logDelta) best = { logDelta, order: a };
  });
  return { delta: Math.min(Math.exp(best.logDelta), 1), order: best.order };
}

/** The options DP-SGD's budget depends on. */
export interface DpSgdBudget {
  /** Expected batch size / dataset size. */
  sampleRate: number;
  /** Noise standard deviation divided by the clipping norm (σ). */
  noiseMultiplier: number;
  steps: number;
  delta: number;
  orders?: number[];
}

/** ε spent by DP-SGD after `steps` steps (with the order that achieved it). */
export function dpSgdEpsilon(budget: DpSgdBudget): { epsilon: number; order: number } {
  const orders = budget.orders ?? DEFAULT_RDP_ORDERS;
  return epsilonFromRdp(
    orders,
    rdpSampledGaussian(budget.sampleRate, budget.noiseMultiplier, budget.steps, orders),
    budget.delta,
  );
}

/** The smallest noise multiplier whose ε after `steps` stays ≤ targetEpsilon (bisection on σ). */
export function noiseForEpsilon(targetEpsilon: number, budget: Omit<DpSgdBudget, 'noiseMultiplier'>): number {
  if (!(targetEpsilon > 0)) throw new Error(`target epsilon must be > 0, got ${targetEpsilon}`);
  const eps = (sigma: number) => dpSgdEpsilon({ ...budget, noiseMultiplier: sigma }).epsilon;
  let lo = 0;
  let hi = 1;
  while (eps(hi) > targetEpsilon) {
    hi *= 2;
    if (hi > 1e4)
      throw new Error(`no noise multiplier up to 1e4 reaches ε = ${targetEpsilon}; train fewer steps or sample less`);
  }
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (eps(mid) > targetEpsilon) lo = mid;
    else hi = mid;
  }
  return hi;
}
