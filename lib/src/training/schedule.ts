/**
 * Learning-rate schedule: linear warm-up, then cosine decay to a floor.
 * Warm-up keeps early, noisy Adam steps small; the cosine tail anneals into a minimum.
 */

/** Shape of a warm-up + cosine schedule. */
export interface WarmupCosineOptions {
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  /** Step at which the cosine reaches `minLr` (usually the total step count); it stays there after. */
  decaySteps: number;
}

/** Learning rate at `step` (0-based): rises linearly to maxLr over warmupSteps, then cosine to minLr at decaySteps. */
export function warmupCosineLr(step: number, o: WarmupCosineOptions): number {
  if (!(o.maxLr > 0) || !(o.minLr >= 0) || o.minLr > o.maxLr) {
    throw new Error(`need 0 <= minLr <= maxLr and maxLr > 0, got minLr ${o.minLr}, maxLr ${o.maxLr}`);
  }
  if (!(o.warmupSteps >= 0) || !(o.decaySteps >= o.warmupSteps)) {
    throw new Error(
      `need 0 <= warmupSteps <= decaySteps, got warmupSteps ${o.warmupSteps}, decaySteps ${o.decaySteps}`,
    );
  }
  // (step + 1) so that step 0 already trains a little instead of wasting a step at lr 0.
  if (step < o.warmupSteps) return (o.maxLr * (step + 1)) / o.warmupSteps;
  if (step >= o.decaySteps) return o.minLr;
  const progress = (step - o.warmupSteps) / Math.max(1, o.decaySteps - o.warmupSteps); // 0 → 1
  return o.minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (o.maxLr - o.minLr);
}
