import { describe, expect, it } from 'vitest';
import { Rng, pca, tf } from '@how-llms-work/lib';

// Points spread 3 units along d1, 1 along d2 and 0.05 along d3, where d1, d2, d3 are orthonormal but not axes.
const s = Math.SQRT1_2;
const d1 = [s, s, 0, 0];
const d2 = [0, 0, s, -s];
const d3 = [s, -s, 0, 0];

function cloud(n: number): number[][] {
  const rng = new Rng(4);
  return Array.from({ length: n }, () => {
    const [a, b, c] = [3 * rng.normal(), rng.normal(), 0.05 * rng.normal()];
    return d1.map((_, i) => 10 + a * d1[i] + b * d2[i] + c * d3[i]);
  });
}

const dot = (u: number[], v: number[]) => u.reduce((acc, x, i) => acc + x * v[i], 0);

describe('pca', () => {
  it('finds the directions of largest variance, in order, with a fixed sign', () => {
    const x = tf.tensor2d(cloud(400));
    const { components, explainedVarianceRatio } = pca(x, 2);
    expect(Math.abs(dot(components[0], d1))).toBeGreaterThan(0.99);
    expect(Math.abs(dot(components[1], d2))).toBeGreaterThan(0.99);
    expect(dot(components[0], components[1])).toBeCloseTo(0, 4);
    components.forEach((v) => expect(Math.hypot(...v)).toBeCloseTo(1, 5));
    // The largest-magnitude entry of each component is positive.
    components.forEach((v) => expect(v.reduce((m, z) => (Math.abs(z) > Math.abs(m) ? z : m), 0)).toBeGreaterThan(0));
    expect(explainedVarianceRatio[0]).toBeGreaterThan(0.85);
    expect(explainedVarianceRatio[1]).toBeLessThan(explainedVarianceRatio[0]);
    expect(explainedVarianceRatio[0] + explainedVarianceRatio[1]).toBeGreaterThan(0.99);
    x.dispose();
  });

  it('coordinates are the centred rows projected on the components, and no tensors leak', () => {
    const rows = cloud(50);
    const x = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const { coords, components } = pca(x, 2);
    expect(tf.memory().numTensors).toBe(before);
    const mean = rows[0].map((_, j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
    rows.forEach((r, i) => {
      const centred = r.map((z, j) => z - mean[j]);
      expect(coords[i][0]).toBeCloseTo(dot(centred, components[0]), 3);
      expect(coords[i][1]).toBeCloseTo(dot(centred, components[1]), 3);
    });
    x.dispose();
  });

  it('names a bad k or too few rows', () => {
    const x = tf.ones([3, 2]) as tf.Tensor2D;
    expect(() => pca(x, 3)).toThrow(/k must be an integer in \[1, 2\].*got 3/);
    const one = tf.ones([1, 2]) as tf.Tensor2D;
    expect(() => pca(one)).toThrow(/at least 2 rows, got 1/);
    tf.dispose([x, one]);
  });
});
