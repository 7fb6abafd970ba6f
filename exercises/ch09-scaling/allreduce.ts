/** Gradients by parameter name, each a flat array. */
export type GradientList = Record<string, Float32Array>;

/**
 * All-reduce for data parallelism: the weighted mean of several workers' gradients, name by name.
 * Worker k's gradient is the mean over its shard of `counts[k]` examples, so weighting by the counts gives
 * the gradient of the mean loss over all the examples together. Counts default to equal. The inputs are
 * not modified. Throws, naming the worker, when a worker's names or lengths differ from worker 0's.
 *
 * Example: averageGradients([{ w: [1, 2] }, { w: [4, 8] }], [1, 2]) → { w: [3, 6] }  ((1·1 + 2·4) / 3 = 3).
 */
export function averageGradients(workers: GradientList[], counts?: number[]): GradientList {
  throw new Error('TODO: implement averageGradients (see the chapter 09 notebook, section Data parallelism)');
}
