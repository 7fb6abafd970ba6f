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
  throw new Error('TODO: implement splitColumnParallel (see the chapter 09 notebook, section Tensor parallelism)');
}

/**
 * The column-parallel forward pass: every worker sees the whole input x (…, in) and computes its slice of the
 * outputs, x · shard.weightᵀ + shard.bias → (…, out/N); gathering concatenates the slices along the last axis
 * → (…, out), equal to the unsplit layer. Intermediate tensors are disposed.
 */
export function columnParallelForward(x: tf.Tensor, shards: LinearShard[]): tf.Tensor {
  throw new Error('TODO: implement columnParallelForward (see the chapter 09 notebook, section Tensor parallelism)');
}

/**
 * Row-parallel split (Megatron-LM: by A's rows, the input features). In the (out, in) layout: worker w of N gets
 * the input columns w·in/N … (w + 1)·in/N − 1 of `weight` (out, in/N). The bias is not split: it is added once,
 * after the sum. Throws an Error naming both numbers when in is not divisible by N.
 *
 * Example: weight [[1, 2, 3, 4]] (out 1, in 4), N = 2 → [[[1, 2]], [[3, 4]]].
 */
export function splitRowParallel(weight: tf.Tensor2D, workers: number): tf.Tensor2D[] {
  throw new Error('TODO: implement splitRowParallel (see the chapter 09 notebook, section Tensor parallelism)');
}

/**
 * The row-parallel forward pass: worker w sees only its slice of the input features, x[…, w·in/N … ] (…, in/N), and
 * computes a partial output x_w · W_wᵀ (…, out); the all-reduce sums the N partials, and the bias is added once
 * → (…, out), equal to the unsplit layer. Intermediate tensors are disposed.
 */
export function rowParallelForward(x: tf.Tensor, shards: tf.Tensor2D[], bias?: tf.Tensor1D): tf.Tensor {
  throw new Error('TODO: implement rowParallelForward (see the chapter 09 notebook, section Tensor parallelism)');
}
