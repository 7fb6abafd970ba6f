/**
 * Poisson sampling, the batch sampling DP-SGD's accountant assumes: every example joins the batch on its own with
 * probability q, so the batch size varies around q·N. Fixed-size batches (or sampling with replacement) are a
 * different mechanism, and the sampled-Gaussian analysis of rdp-accountant.ts does not cover them.
 */
import type { Rng } from '../core/random';

/** The indices (in increasing order) of a Poisson sample of 0 … n − 1: each one kept with probability `rate`. */
export function poissonSample(n: number, rate: number, rng: Rng): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`the number of examples must be a whole number ≥ 0, got ${n}`);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`the sampling rate must be in [0, 1], got ${rate}`);
  const picked: number[] = [];
  if (rate === 0) return picked;
  if (rate === 1) return Array.from({ length: n }, (_, i) => i);
  // The gaps between kept indices are geometric: skip ahead by one draw per kept example, not one per example.
  const logSkip = Math.log1p(-rate);
  for (
    let i = Math.floor(Math.log(1 - rng.next()) / logSkip);
    i < n;
    i += 1 + Math.floor(Math.log(1 - rng.next()) / logSkip)
  )
    picked.push(i);
  return picked;
}
