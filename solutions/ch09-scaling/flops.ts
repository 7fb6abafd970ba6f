/** What training a model costs in arithmetic and in accelerator time. */
export interface TrainingCompute {
  /** Total training FLOPs, ≈ 6·N·D. */
  flops: number;
  /** Days one accelerator needs at the given utilisation of its peak. */
  gpuDays: number;
}

/**
 * Training compute of a model with `parameters` weights (N) trained on `tokens` tokens (D):
 * each token costs 2N FLOPs forward (a multiply and an add per weight) and 4N backward, so 6·N·D in all.
 * GPU-days divide that by what one GPU really sustains: peakFlops · utilization FLOP/s, 86 400 s a day.
 * Throws, naming the value, when N or D is not positive or utilization is outside (0, 1].
 *
 * Example: trainingCompute(1e9, 20e9, { peakFlops: 312e12, utilization: 0.5 })
 *   → { flops: 1.2e20, gpuDays: 1.2e20 / 1.56e14 / 86400 ≈ 8.9 }.
 */
export function trainingCompute(parameters: number, tokens: number, gpu: { peakFlops: number; utilization: number }): TrainingCompute {
  // BEGIN SOLUTION: Counting compute
  if (!(parameters > 0)) throw new Error(`parameters must be positive, got ${parameters}`);
  if (!(tokens > 0)) throw new Error(`tokens must be positive, got ${tokens}`);
  if (!(gpu.utilization > 0 && gpu.utilization <= 1)) throw new Error(`utilization must be in (0, 1], got ${gpu.utilization}`);
  const flops = 6 * parameters * tokens;
  return { flops, gpuDays: flops / (gpu.peakFlops * gpu.utilization) / 86400 };
  // END SOLUTION
}
