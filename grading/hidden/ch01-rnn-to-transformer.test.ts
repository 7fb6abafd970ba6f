// Chapter 1 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { bigramProbability } from '@exercises/ch01-rnn-to-transformer/bigram';
import { rnnStep } from '@exercises/ch01-rnn-to-transformer/rnn-step';
import { gradientNormsByPosition } from '@exercises/ch01-rnn-to-transformer/gradient-norms';
import { Rng, tf } from '@how-llms-work/lib';

const randomMatrix = (rows: number, cols: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
};

describe('ch01 bigramProbability', () => {
  it('counts characters, not UTF-16 code units', () => {
    // V = 2 distinct characters (😀 and a); 😀 is followed once by 😀 and once by a.
    expect(bigramProbability('😀😀a', '😀', 'a')).toBeCloseTo(0.5, 10);
    expect(bigramProbability('😀😀a', '😀', '😀', 1)).toBeCloseTo((1 + 1) / (2 + 1 * 2), 10);
  });
  it('gives 0, not NaN, after a character never followed, and α / (α·V) once smoothed', () => {
    expect(bigramProbability('xyz', 'z', 'x')).toBe(0);
    expect(bigramProbability('xyz', 'q', 'x')).toBe(0);
    expect(bigramProbability('xyz', 'z', 'x', 2)).toBeCloseTo(2 / (2 * 3), 10);
  });
  it('unsmoothed probabilities after a seen character sum to 1', () => {
    const text = 'mississippi';
    const chars = [...new Set(text)];
    for (const prev of ['m', 's', 'p']) {
      expect(chars.map((c) => bigramProbability(text, prev, c)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    }
  });
});

describe('ch01 rnnStep', () => {
  it('computes tanh(x Wihᵀ + h Whhᵀ + b) on a batch of 3, checked by hand', () => {
    const [x, h, wIh, wHh] = [randomMatrix(3, 2, 21), randomMatrix(3, 2, 22), randomMatrix(2, 2, 23), randomMatrix(2, 2, 24)];
    const b = [0.3, -0.4];
    const got = rnnStep(tf.tensor2d(x), tf.tensor2d(h), tf.tensor2d(wIh), tf.tensor2d(wHh), tf.tensor1d(b)).arraySync();
    for (let i = 0; i < 3; i++) {
      for (let o = 0; o < 2; o++) {
        let s = b[o];
        for (let c = 0; c < 2; c++) s += x[i][c] * wIh[o][c] + h[i][c] * wHh[o][c];
        expect(got[i][o]).toBeCloseTo(Math.tanh(s), 5);
      }
    }
  });
  it('gives tanh(b) on every row for zero inputs and state', () => {
    const z = tf.zeros([4, 3]) as tf.Tensor2D;
    const w = tf.tensor2d(randomMatrix(3, 3, 25));
    const got = rnnStep(z, z, w, w, tf.tensor1d([5, 0, -0.5]));
    expect(got.shape).toEqual([4, 3]);
    for (const row of got.arraySync()) [5, 0, -0.5].forEach((b, j) => expect(row[j]).toBeCloseTo(Math.tanh(b), 6));
  });
});

describe('ch01 gradientNormsByPosition', () => {
  it('gives the row norms of W for the linear f(x) = sum(x ⊙ W)', () => {
    const W = [[3, 4, 0], [0, 0, 0], [1, 2, 2]];
    const w = tf.tensor2d(W);
    const norms = gradientNormsByPosition((x: tf.Tensor2D) => x.mul(w).sum() as tf.Scalar, tf.zeros([3, 3]) as tf.Tensor2D);
    expect(norms).toHaveLength(3);
    [5, 0, 3].forEach((n, t) => expect(norms[t]).toBeCloseTo(n, 5));
  });
  it('works for a single width (C = 1) and a cubic, leaving x alive and nothing behind', () => {
    const x = tf.tensor2d([[2], [-1], [0.5]]);
    const before = tf.memory().numTensors;
    const norms = gradientNormsByPosition((t: tf.Tensor2D) => t.pow(3).sum() as tf.Scalar, x); // ∂/∂x = 3x²
    expect(tf.memory().numTensors).toBe(before);
    [12, 3, 0.75].forEach((n, t) => expect(norms[t]).toBeCloseTo(n, 4));
    expect(x.isDisposed).toBe(false);
  });
});
