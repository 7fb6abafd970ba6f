/** The shape of a warm-up + cosine learning-rate schedule. */
export interface ScheduleOptions {
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  /** The step where the cosine reaches minLr; later steps stay at minLr. */
  decaySteps: number;
}

/**
 * Learning rate at a 0-based step:
 * - warm-up, step < warmupSteps: maxLr · (step + 1) / warmupSteps (linear, reaching maxLr on the last warm-up step);
 * - decay, warmupSteps <= step < decaySteps: minLr + ½ (1 + cos(π · progress)) (maxLr − minLr), progress = (step − warmupSteps) / (decaySteps − warmupSteps);
 * - after, step >= decaySteps: minLr.
 *
 * Example: with { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: 1000 }:
 *          step 0 → 1e-5, step 99 → 1e-3, step 550 → 5.5e-4 (halfway), step 1000 → 1e-4, step 5000 → 1e-4.
 */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  // BEGIN SOLUTION: AdamW, warm-up and cosine
  if (step < o.warmupSteps) return (o.maxLr * (step + 1)) / o.warmupSteps;
  if (step >= o.decaySteps) return o.minLr;
  const progress = (step - o.warmupSteps) / (o.decaySteps - o.warmupSteps);
  return o.minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (o.maxLr - o.minLr);
  // END SOLUTION
}
