// Tests of exercises/ch09-scaling/tensor-parallel.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import {
  columnParallelForward,
  rowParallelForward,
  splitColumnParallel,
  splitRowParallel,
} from '@exercises/ch09-scaling/tensor-parallel';
import { linear, tf } from '@how-llms-work/lib';

const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch09 tensor-parallel linear layer', () => {
  it('splits the worked example by output features (column-parallel) and by input features (row-parallel)', () => {
    const shards = splitColumnParallel(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]),
      tf.tensor1d([1, 2, 3, 4]),
      2,
    );
    expect(shards.map((s) => s.weight.arraySync())).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(shards.map((s) => s.bias!.arraySync())).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(splitRowParallel(tf.tensor2d([[1, 2, 3, 4]]), 2).map((w) => w.arraySync())).toEqual([[[1, 2]], [[3, 4]]]);
  });

  it('column-parallel: gathering the workers’ output slices equals the unsplit layer', () => {
    const x = randn([2, 5, 8], 1) as tf.Tensor3D;
    const w = randn([12, 8], 2) as tf.Tensor2D;
    const b = randn([12], 3) as tf.Tensor1D;
    const y = columnParallelForward(x, splitColumnParallel(w, b, 3));
    expect(y.shape).toEqual([2, 5, 12]);
    expect(maxDiff(y, linear(x, w, b))).toBeLessThan(1e-5);
  });

  it('row-parallel: summing the workers’ partial outputs and adding the bias once equals the unsplit layer', () => {
    const x = randn([3, 4, 12], 4);
    const w = randn([6, 12], 5) as tf.Tensor2D;
    const b = randn([6], 6) as tf.Tensor1D;
    const shards = splitRowParallel(w, 4);
    expect(shards.map((s) => s.shape)).toEqual([
      [6, 3],
      [6, 3],
      [6, 3],
      [6, 3],
    ]);
    const y = rowParallelForward(x, shards, b);
    expect(y.shape).toEqual([3, 4, 6]);
    expect(maxDiff(y, linear(x, w, b))).toBeLessThan(1e-5);
  });

  it('refuses a split that does not divide the features, naming both numbers', () => {
    const w = tf.zeros([6, 4]) as tf.Tensor2D;
    expect(() => splitColumnParallel(w, tf.zeros([6]) as tf.Tensor1D, 4)).toThrow(/6[\s\S]*4|4[\s\S]*6/);
    expect(() => splitRowParallel(w, 3)).toThrow(/4[\s\S]*3|3[\s\S]*4/);
  });
});
