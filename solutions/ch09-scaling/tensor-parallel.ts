import { tf } from '@how-llms-work/lib';

/** One worker's part of a linear layer: a slice of the weight (out, in) and, where it has one, of the bias. */
export interface LinearShard {
  weight: tf.Tensor2D;
  bias?: tf.Tensor1D;
}

/**
 * Column-parallel split (Megatron-LM's name: in its y = xA layout the split is by A's columns, the output features).
 * In the library's (out, in) layout: worker w of N gets the output rows w·out/N … (w + 1)·out/N − 1 of `weight`
 * and the same entries of `bias`. Throws an Error naming both numbers when out is not divisible by N.
 *
 * Example: weight [[1, 2], [3, 4], [5, 6], [7, 8]] (out 4, in 2), bias [1, 2, 3, 4], N = 2 →
 *          [{ weight: [[1, 2], [3, 4]], bias: [1, 2] }, { weight: [[5, 6], [7, 8]], bias: [3, 4] }].
 */
export function splitColumnParallel(weight: tf.Tensor2D, bias: tf.Tensor1D, workers: number): LinearShard[] {
  // BEGIN SOLUTION: Tensor parallelism
  const [out] = weight.shape;
  if (!Number.isInteger(workers) || workers < 1 || out % workers !== 0)
    throw new Error(`${out} output features cannot be split evenly among ${workers} workers`);
  const weights = tf.split(weight, workers, 0) as tf.Tensor2D[];
  const biases = tf.split(bias, workers, 0) as tf.Tensor1D[];
  return weights.map((w, i) => ({ weight: w, bias: biases[i] }));
  // END SOLUTION
}

/**
 * The column-parallel forward pass: every worker sees the whole input x (…, in) and computes its slice of the
 * outputs, x · shard.weightᵀ + shard.bias → (…, out/N); gathering concatenates the slices along the last axis
 * → (…, out), equal to the unsplit layer. Intermediate tensors are disposed.
 */
export function columnParallelForward(x: tf.Tensor, shards: LinearShard[]): tf.Tensor {
  // BEGIN SOLUTION: Tensor parallelism
  return tf.tidy(() => {
    const parts = shards.map((s) => {
      const y = tf.matMul(x.reshape([-1, x.shape[x.rank - 1]]), s.weight, false, true); // (N, out/W)
      return s.bias ? y.add(s.bias) : y;
    });
    return tf.concat(parts, 1).reshape([...x.shape.slice(0, -1), -1]); // (…, out)
  });
  // END SOLUTION
}

/**
 * Row-parallel split (Megatron-LM: by A's rows, the input features). In the (out, in) layout: worker w of N gets
 * the input columns w·in/N … (w + 1)·in/N − 1 of `weight` (out, in/N). The bias is not split: it is added once,
 * after the sum. Throws an Error naming both numbers when in is not divisible by N.
 *
 * Example: weight [[1, 2, 3, 4]] (out 1, in 4), N = 2 → [[[1, 2]], [[3, 4]]].
 */
export function splitRowParallel(weight: tf.Tensor2D, workers: number): tf.Tensor2D[] {
  // BEGIN SOLUTION: Tensor parallelism
  const [, inFeatures] = weight.shape;
  if (!Number.isInteger(workers) || workers < 1 || inFeatures % workers !== 0)
    throw new Error(`${inFeatures} input features cannot be split evenly among ${workers} workers`);
  return tf.split(weight, workers, 1) as tf.Tensor2D[];
  // END SOLUTION
}

/**
 * The row-parallel forward pass: worker w sees only its slice of the input features, x[…, w·in/N … ] (…, in/N), and
 * computes a partial output x_w · W_wᵀ (…, out); the all-reduce sums the N partials, and the bias is added once
 * → (…, out), equal to the unsplit layer. Intermediate tensors are disposed.
 */
export function rowParallelForward(x: tf.Tensor, shards: tf.Tensor2D[], bias?: tf.Tensor1D): tf.Tensor {
  // BEGIN SOLUTION: Tensor parallelism
  return tf.tidy(() => {
    const inputs = tf.split(x.reshape([-1, x.shape[x.rank - 1]]), shards.length, 1); // N × (rows, in/N)
    const partials = shards.map((w, i) => tf.matMul(inputs[i], w, false, true)); // N × (rows, out)
    const summed = tf.addN(partials);
    const y = bias ? summed.add(bias) : summed;
    return y.reshape([...x.shape.slice(0, -1), -1]); // (…, out)
  });
  // END SOLUTION
}
