/** Bytes of training state for a model trained with Adam. */
export interface AdamMemory {
  weights: number;
  gradients: number;
  /** Adam's moments m and v, plus the fp32 master weights under mixed precision. */
  optimizer: number;
  total: number;
}

/**
 * Memory to train `parameters` weights with Adam, activations aside:
 *   fp32:  weights 4 bytes, gradients 4, Adam m and v 4 + 4 → 16 bytes per parameter;
 *   mixed: fp16 weights 2, fp16 gradients 2, fp32 master weights, m and v 4 + 4 + 4 → also 16.
 * Mixed precision saves time and activation memory, not this state.
 * Throws, naming the value, for a precision other than 'fp32' or 'mixed'.
 *
 * Example: adamMemory(1e9, 'mixed') → { weights: 2e9, gradients: 2e9, optimizer: 12e9, total: 16e9 }.
 */
export function adamMemory(parameters: number, precision: 'fp32' | 'mixed'): AdamMemory {
  // BEGIN SOLUTION: Where the memory goes
  const per =
    precision === 'fp32'
      ? { weights: 4, gradients: 4, optimizer: 8 }
      : precision === 'mixed'
        ? { weights: 2, gradients: 2, optimizer: 12 }
        : undefined;
  if (!per) throw new Error(`precision must be "fp32" or "mixed", got ${String(precision)}`);
  const weights = per.weights * parameters;
  const gradients = per.gradients * parameters;
  const optimizer = per.optimizer * parameters;
  return { weights, gradients, optimizer, total: weights + gradients + optimizer };
  // END SOLUTION
}
