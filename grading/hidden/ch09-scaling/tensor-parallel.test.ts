// Hidden tests of exercises/ch09-scaling/tensor-parallel.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import {
  columnParallelForward,
  rowParallelForward,
  splitColumnParallel,
  splitRowParallel,
} from '@exercises/ch09-scaling/tensor-parallel';
import { gelu, linear, Rng, tf } from '@how-llms-work/lib';

const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch09 tensor-parallel linear layer', () => {
  it('equals the unsplit layer for random shapes and worker counts, both ways, on 2-D and 3-D inputs', () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 8; trial++) {
      const N = 1 + rng.int(4);
      const inF = N * (1 + rng.int(5));
      const outF = N * (1 + rng.int(5));
      const x = randn(trial % 2 ? [1 + rng.int(3), 1 + rng.int(4), inF] : [1 + rng.int(5), inF], 10 + trial);
      const w = randn([outF, inF], 20 + trial) as tf.Tensor2D;
      const b = randn([outF], 30 + trial) as tf.Tensor1D;
      const want = linear(x, w, b);
      expect(maxDiff(columnParallelForward(x, splitColumnParallel(w, b, N)), want)).toBeLessThan(1e-4);
      expect(maxDiff(rowParallelForward(x, splitRowParallel(w, N), b), want)).toBeLessThan(1e-4);
      expect(maxDiff(rowParallelForward(x, splitRowParallel(w, N)), linear(x, w))).toBeLessThan(1e-4);
    }
  });

  it("splits are slices: putting the workers' shards back together gives the weight and bias", () => {
    const w = randn([8, 6], 41) as tf.Tensor2D;
    const b = randn([8], 42) as tf.Tensor1D;
    const cols = splitColumnParallel(w, b, 4);
    expect(
      maxDiff(
        tf.concat(
          cols.map((s) => s.weight),
          0,
        ),
        w,
      ),
    ).toBe(0);
    expect(
      maxDiff(
        tf.concat(
          cols.map((s) => s.bias!),
          0,
        ),
        b,
      ),
    ).toBe(0);
    expect(maxDiff(tf.concat(splitRowParallel(w, 3), 1), w)).toBe(0);
  });

  it("Megatron's MLP: column-parallel, GELU on each worker's slice, row-parallel, one all-reduce, equals the unsplit MLP", () => {
    const x = randn([2, 3, 8], 51);
    const w1 = randn([32, 8], 52) as tf.Tensor2D;
    const b1 = randn([32], 53) as tf.Tensor1D;
    const w2 = randn([8, 32], 54) as tf.Tensor2D;
    const b2 = randn([8], 55) as tf.Tensor1D;
    const want = linear(gelu(linear(x, w1, b1)), w2, b2);
    const N = 4;
    const first = splitColumnParallel(w1, b1, N);
    const second = splitRowParallel(w2, N);
    // Worker i keeps its hidden slice: no gather between the two layers.
    const partials = first.map((shard, i) => rowParallelForward(gelu(columnParallelForward(x, [shard])), [second[i]]));
    const got = tf.addN(partials).add(b2);
    expect(maxDiff(got, want)).toBeLessThan(1e-4);
  });

  it('passes gradients: d(sum of outputs)/dx and /dweight equal the unsplit layer’s', () => {
    const x = randn([4, 6], 61);
    const w = randn([6, 6], 62) as tf.Tensor2D;
    const b = randn([6], 63) as tf.Tensor1D;
    const probe = randn([4, 6], 64);
    const want = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => linear(xx, ww, b).mul(probe).sum())([x, w]);
    const col = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
      columnParallelForward(xx, splitColumnParallel(ww as tf.Tensor2D, b, 3))
        .mul(probe)
        .sum(),
    )([x, w]);
    const row = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
      rowParallelForward(xx, splitRowParallel(ww as tf.Tensor2D, 2), b)
        .mul(probe)
        .sum(),
    )([x, w]);
    for (const got of [col, row]) for (let i = 0; i < 2; i++) expect(maxDiff(got[i], want[i])).toBeLessThan(1e-4);
  });

  it('keeps the tensor count flat: the forward passes leave nothing behind', () => {
    const x = randn([3, 8], 71);
    const w = randn([8, 8], 72) as tf.Tensor2D;
    const b = randn([8], 73) as tf.Tensor1D;
    const cols = splitColumnParallel(w, b, 2);
    const rows = splitRowParallel(w, 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      columnParallelForward(x, cols).dispose();
      rowParallelForward(x, rows, b).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
