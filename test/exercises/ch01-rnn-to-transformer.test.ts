// Chapter 1 exercises: a bigram model by counting, one RNN step, gradient norms by position. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { bigramProbability } from '@exercises/ch01-rnn-to-transformer/bigram';
import { rnnStep } from '@exercises/ch01-rnn-to-transformer/rnn-step';
import { gradientNormsByPosition } from '@exercises/ch01-rnn-to-transformer/gradient-norms';
import { initRecurrent, Rng, rnnCell, tf } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape);
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch01 bigramProbability', () => {
  it('gives the worked example', () => {
    expect(bigramProbability('abab', 'a', 'b')).toBeCloseTo(1, 10);
    expect(bigramProbability('abab', 'a', 'b', 1)).toBeCloseTo(0.75, 10);
  });

  it('counts pairs side by side, not characters', () => {
    // "h" is followed by "e" twice and by "a" once.
    expect(bigramProbability('hehehaz', 'h', 'e')).toBeCloseTo(2 / 3, 10);
    expect(bigramProbability('hehehaz', 'h', 'a')).toBeCloseTo(1 / 3, 10);
    expect(bigramProbability('hehehaz', 'e', 'z')).toBe(0);
  });

  it('does not count the last character as followed by anything', () => {
    // "z" occurs twice but only the first is followed by something.
    expect(bigramProbability('zaz', 'z', 'a')).toBeCloseTo(1, 10);
    expect(bigramProbability('zaz', 'z', 'a', 1)).toBeCloseTo((1 + 1) / (1 + 2), 10);
    expect(bigramProbability('ab', 'b', 'a')).toBe(0);
  });

  it('smoothed probabilities after one character sum to 1 and are all positive', () => {
    const text = 'to be or not to be';
    const chars = [...new Set(text)];
    for (const prev of ['t', 'o', ' ']) {
      const ps = chars.map((c) => bigramProbability(text, prev, c, 0.5));
      expect(ps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(Math.min(...ps)).toBeGreaterThan(0);
    }
  });
});

describe('ch01 rnnStep', () => {
  it('gives the worked example', () => {
    const h = rnnStep(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0, 1], [1, 0]]), tf.tensor1d([0, 0]));
    expect(maxDiff(h, tf.tensor2d([[Math.tanh(2), 0]]))).toBeLessThan(1e-6);
  });

  it('uses the weights in PyTorch layout (multiplies by the transpose) and adds the bias', () => {
    const wIh = tf.tensor2d([[0, 1], [0, 0]]); // row 0 reads input column 1
    const h = rnnStep(tf.tensor2d([[0.3, 0.7]]), tf.zeros([1, 2]) as tf.Tensor2D, wIh, tf.zeros([2, 2]) as tf.Tensor2D, tf.tensor1d([0.1, -0.2]));
    expect(maxDiff(h, tf.tensor2d([[Math.tanh(0.8), Math.tanh(-0.2)]]))).toBeLessThan(1e-6);
  });

  it('matches the library cell on a batch', () => {
    const params = initRecurrent({ kind: 'rnn', vocabSize: 2, width: 5 }, 3);
    const [x, h] = [randn([4, 5], 1) as tf.Tensor2D, randn([4, 5], 2) as tf.Tensor2D];
    const bias = params['rnn.bias_ih_l0'].add(params['rnn.bias_hh_l0']) as tf.Tensor1D;
    const got = rnnStep(x, h, params['rnn.weight_ih_l0'] as tf.Tensor2D, params['rnn.weight_hh_l0'] as tf.Tensor2D, bias);
    expect(got.shape).toEqual([4, 5]);
    expect(maxDiff(got, rnnCell(params, x, h))).toBeLessThan(1e-5);
  });

  it('leaves only its output behind', () => {
    const args = [randn([2, 3], 4), randn([2, 3], 5), randn([3, 3], 6), randn([3, 3], 7), randn([3], 8)] as const;
    const before = tf.memory().numTensors;
    const out = rnnStep(args[0] as tf.Tensor2D, args[1] as tf.Tensor2D, args[2] as tf.Tensor2D, args[3] as tf.Tensor2D, args[4] as tf.Tensor1D);
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
  });
});

describe('ch01 gradientNormsByPosition', () => {
  it('gives the worked example', () => {
    const norms = gradientNormsByPosition((x: tf.Tensor2D) => x.slice([1, 0], [1, 2]).square().sum() as tf.Scalar, tf.tensor2d([[1, 1], [3, 4]]));
    expect(norms).toHaveLength(2);
    expect(norms[0]).toBeCloseTo(0, 6);
    expect(norms[1]).toBeCloseTo(10, 4);
  });

  it('measures a geometric decay through a linear recurrence', () => {
    // h_t = 0.5·h_{t−1} + x_t, f = sum(h_T): ∂f/∂x_t = 0.5^(T−1−t) in every coordinate.
    const f = (x: tf.Tensor2D) => {
      let h: tf.Tensor = tf.zeros([3]);
      for (const row of tf.unstack(x)) h = h.mul(0.5).add(row);
      return h.sum() as tf.Scalar;
    };
    const norms = gradientNormsByPosition(f, tf.ones([6, 3]) as tf.Tensor2D);
    norms.forEach((n: number, t: number) => expect(n).toBeCloseTo(Math.sqrt(3) * 0.5 ** (5 - t), 4));
  });

  it('takes the norm per row, not over everything', () => {
    const x = tf.tensor2d([[1, 2, 2], [0, 3, 4]]);
    const norms = gradientNormsByPosition((t: tf.Tensor2D) => t.square().sum().div(2) as tf.Scalar, x); // gradient = x
    expect(norms[0]).toBeCloseTo(3, 5);
    expect(norms[1]).toBeCloseTo(5, 5);
  });

  it('leaves no tensors behind', () => {
    const x = randn([5, 4], 9) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    gradientNormsByPosition((t: tf.Tensor2D) => tf.tanh(t).sum() as tf.Scalar, x);
    expect(tf.memory().numTensors).toBe(before);
  });
});
