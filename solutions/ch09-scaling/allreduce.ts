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
  // BEGIN SOLUTION: Data parallelism
  if (workers.length === 0) throw new Error('averageGradients needs at least one worker, got 0');
  const weights = counts ?? workers.map(() => 1);
  if (weights.length !== workers.length) throw new Error(`got ${workers.length} workers but ${weights.length} counts`);
  const total = weights.reduce((a, b) => a + b, 0);
  const names = Object.keys(workers[0]);
  const out: GradientList = {};
  for (const name of names) out[name] = new Float32Array(workers[0][name].length);
  workers.forEach((grads, k) => {
    const theirs = Object.keys(grads);
    if (theirs.length !== names.length || names.some((n) => !(n in grads))) {
      throw new Error(`worker ${k} has gradients [${theirs.join(', ')}] but worker 0 has [${names.join(', ')}]`);
    }
    for (const name of names) {
      const g = grads[name];
      if (g.length !== out[name].length)
        throw new Error(`worker ${k}'s "${name}" has ${g.length} values, worker 0's has ${out[name].length}`);
      for (let i = 0; i < g.length; i++) out[name][i] += (weights[k] / total) * g[i];
    }
  });
  return out;
  // END SOLUTION
}
