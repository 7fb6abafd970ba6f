import type { Rng } from '@how-llms-work/lib';

/** DP-SGD's settings for one step. */
export interface DpSgdStepOptions {
  /** Per-example clipping norm C (> 0). */
  clipNorm: number;
  /** σ: the noise's standard deviation is σ · C (≥ 0; 0 gives clipped, noiseless SGD). */
  noiseMultiplier: number;
  /** Where the noise comes from: draw each noise value as σ · C · rng.normal(). */
  rng: Rng;
  /**
   * What the noisy sum is divided by: the batch size the privacy accounting assumes. With Poisson sampling the
   * batch size varies, and dividing by the expected size q·N (not the size drawn) keeps the sensitivity C / (qN).
   * Default: the number of rows.
   */
  denominator?: number;
}

/**
 * One DP-SGD gradient (Abadi et al. 2016) from per-example gradients (B, P), one flattened gradient per row:
 * clip each row to L2 norm ≤ C (scale by min(1, C / ‖g‖), never stretch), sum the clipped rows, add independent
 * Gaussian noise N(0, (σC)²) to each of the P coordinates of the sum, and divide by the denominator → (P).
 * The input is not modified. Throws an Error naming the value when C ≤ 0, σ < 0 or the denominator ≤ 0, and when
 * the rows differ in length. An empty batch gives the noise alone (P is then read from `size`).
 *
 * Example: rows [[3, 4], [0.3, 0.4]], C = 1, σ = 0 → ([0.6, 0.8] + [0.3, 0.4]) / 2 = [0.45, 0.6].
 */
export function dpSgdStep(
  perExample: number[][],
  options: DpSgdStepOptions,
  size = perExample[0]?.length ?? 0,
): number[] {
  throw new Error('TODO: implement dpSgdStep (see the chapter 11 notebook, section DP-SGD: clip every example, add noise)');
}
