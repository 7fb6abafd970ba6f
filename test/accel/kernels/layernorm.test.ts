// The fused layer-norm kernels agree with the formula composed of TF.js ops, values and gradients.
import { describe, expect, it } from 'vitest';
import { withSettings } from '@how-llms-work/accel';
import { layerNorm, layerNormReference, tf } from '@how-llms-work/lib';
import { fusedLayerNorm } from '../../../accel/src/kernels/layernorm';
import { expectClose, expectFusedMatchesReference, randomTensor } from './compare';

/** γ near 1 and β near 0, as after some training, but every element different. */
function affine(C: number, seed: number): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => [randomTensor([C], seed, 0.3).add(1), randomTensor([C], seed + 1, 0.3)]);
}

/**
 * Layer norm of Σ(y·w) in float64 from the float32 inputs: y, and the gradients with respect to x, γ, β.
 * The ground truth that shows what float32 loses to a large mean.
 */
function float64LayerNorm(x: Float32Array, g: Float32Array, b: Float32Array, w: Float32Array, eps = 1e-5) {
  const C = g.length;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dg = new Float64Array(C);
  const db = new Float64Array(C);
  for (let o = 0; o < x.length; o += C) {
    const row = Array.from(x.subarray(o, o + C));
    const mu = row.reduce((s, v) => s + v, 0) / C;
    const r = 1 / Math.sqrt(row.reduce((s, v) => s + (v - mu) ** 2, 0) / C + eps);
    const xh = row.map((v) => (v - mu) * r);
    const dxh = xh.map((_, c) => w[o + c] * g[c]);
    const m1 = dxh.reduce((s, v) => s + v, 0) / C;
    const m2 = dxh.reduce((s, v, c) => s + v * xh[c], 0) / C;
    for (let c = 0; c < C; c++) {
      y[o + c] = xh[c] * g[c] + b[c];
      dx[o + c] = r * (dxh[c] - m1 - xh[c] * m2);
      dg[c] += w[o + c] * xh[c];
      db[c] += w[o + c];
    }
  }
  return { y, dx, dg, db };
}

/** Kernel and reference with β, as functions of tensors only (expectFusedMatchesReference's shape). */
const withBias = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => fusedLayerNorm(x, g, b);
const referenceWithBias = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNormReference(x, g, b);

describe(`fused layer norm on ${process.env.HOW_LLMS_BACKEND}`, () => {
  it('matches the reference on (B, T, C), values and gradients w.r.t. x, γ and β', () => {
    const x = randomTensor([3, 5, 64], 1, 2);
    const [g, b] = affine(64, 2);
    expectFusedMatchesReference(withBias, referenceWithBias, [x, g, b], 2e-5);
    tf.dispose([x, g, b]);
  });

  it('matches the reference on 2-D and 1-D inputs, with and without bias', () => {
    const x = randomTensor([7, 33], 3);
    const x1 = randomTensor([16], 4);
    const [g, b] = affine(33, 5);
    const [g1] = affine(16, 6);
    expectFusedMatchesReference(withBias, referenceWithBias, [x, g, b], 2e-5);
    expectFusedMatchesReference(
      (t, w) => fusedLayerNorm(t, w),
      (t, w) => layerNormReference(t, w),
      [x, g],
      2e-5,
    );
    expectFusedMatchesReference(
      (t, w) => fusedLayerNorm(t, w),
      (t, w) => layerNormReference(t, w),
      [x1, g1],
      2e-5,
    );
    tf.dispose([x, x1, g, b, g1]);
  });

  it('stays accurate when every row has a large mean (x + 1000, x + 10⁴): float64 row statistics', () => {
    // The float32 reference loses ~2e-3 of dγ at μ = 1000 on wasm, ~2e-2 at 10⁴ (cancellation in x − μ
    // and in its sums): it sets the tolerance against the reference, and the float64 truth the tight one.
    for (const shift of [1000, 1e4]) {
      const x = tf.tidy(() => randomTensor([4, 8, 128], 7).add(shift));
      const [g, b] = affine(128, 8);
      const w = randomTensor([4, 8, 128], 9);
      if (shift === 1000) expectFusedMatchesReference(withBias, referenceWithBias, [x, g, b], 5e-3);
      const truth = float64LayerNorm(
        x.dataSync() as Float32Array,
        g.dataSync() as Float32Array,
        b.dataSync() as Float32Array,
        w.dataSync() as Float32Array,
      );
      tf.tidy(() => {
        const loss = (t: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
          fusedLayerNorm(t, gg, bb)!.mul(w).sum() as tf.Scalar;
        const [dx, dg, db] = tf.grads(loss)([x, g, b]);
        expectClose(
          fusedLayerNorm(x, g, b)!.dataSync() as Float32Array,
          Float32Array.from(truth.y),
          1e-6,
          `y vs float64 at +${shift}`,
        );
        expectClose(dx.dataSync() as Float32Array, Float32Array.from(truth.dx), 1e-6, `dx vs float64 at +${shift}`);
        expectClose(dg.dataSync() as Float32Array, Float32Array.from(truth.dg), 1e-6, `dγ vs float64 at +${shift}`);
        expectClose(db.dataSync() as Float32Array, Float32Array.from(truth.db), 1e-6, `dβ vs float64 at +${shift}`);
      });
      tf.dispose([x, g, b, w]);
    }
  });

  it('is what the model’s layerNorm runs, and HOW_LLMS_FUSED=0 switches it off', () => {
    const x = randomTensor([2, 3, 8], 10);
    const [g, b] = affine(8, 11);
    tf.tidy(() => {
      expect(Array.from(layerNorm(x, g, b).dataSync())).toEqual(Array.from(fusedLayerNorm(x, g, b)!.dataSync()));
      expect(Array.from(layerNorm(x, g).dataSync())).toEqual(Array.from(fusedLayerNorm(x, g)!.dataSync()));
    });
    withSettings({ fused: false }, () => expect(fusedLayerNorm(x, g, b)).toBeUndefined());
    // Shapes the kernel does not take (γ that is not (C)) fall back to the reference.
    const g2 = tf.ones([1, 8]);
    expect(fusedLayerNorm(x, g2)).toBeUndefined();
    tf.dispose([x, g, b, g2]);
  });

  it('leaves no tensors behind: forward alone, forward + backward, and a training loop', () => {
    const x = randomTensor([4, 6, 32], 12);
    const [g, b] = affine(32, 13);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.dispose(layerNorm(x, g, b));
      tf.dispose(layerNorm(x, g));
      tf.tidy(() => {
        tf.grads((t: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => layerNorm(t, gg, bb).square().sum())([x, g, b]);
        tf.grads((t: tf.Tensor, gg: tf.Tensor) => layerNorm(t, gg).square().sum())([x, g]);
        tf.grad((t: tf.Tensor) => layerNorm(t, g, b).square().sum())(x); // only dx wanted: dγ, dβ are dropped
      });
    }
    expect(tf.memory().numTensors).toBe(before);

    // Variables trained through two layer norms (one without bias), as a model step does.
    const gv = tf.variable(g.clone());
    const bv = tf.variable(b.clone());
    const g2v = tf.variable(tf.ones([32]));
    const target = randomTensor([4, 6, 32], 14);
    const lossOf = () =>
      layerNorm(layerNorm(x, gv, bv).mul(2), g2v)
        .sub(target)
        .square()
        .mean() as tf.Scalar;
    const losses: number[] = [];
    const loopStart = tf.memory().numTensors;
    for (let step = 0; step < 20; step++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossOf);
        for (const v of [gv, bv, g2v]) v.assign(v.sub(grads[v.name].mul(0.5)));
        losses.push(value.dataSync()[0]);
      });
      if (step === 0) expect(tf.memory().numTensors).toBe(loopStart);
    }
    expect(tf.memory().numTensors).toBe(loopStart);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    tf.dispose([x, g, b, gv, bv, g2v, target]);
  });
});
