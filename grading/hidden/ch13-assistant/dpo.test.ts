// Chapter 13 hidden tests for the DPO loss: float64 values and gradients, extreme margins, leaks.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { dpoLoss } from '@exercises/ch13-assistant/dpo';
const tf = L.tf;

describe('ch13 dpoLoss', () => {
  it('has the float64 gradient −β σ(−m)/B for the chosen and +β σ(−m)/B for the rejected log-prob', () => {
    const pw = [-3, -10, -0.5, -7];
    const pl = [-4, -2, -0.5, -9];
    const rw = [-3.5, -8, -1, -7];
    const rl = [-3.5, -3, -0.2, -8];
    const beta = 0.7;
    const [gw, gl] = tf.grads((a: L.tf.Tensor, b: L.tf.Tensor) =>
      dpoLoss(a as L.tf.Tensor1D, b as L.tf.Tensor1D, tf.tensor1d(rw), tf.tensor1d(rl), beta),
    )([tf.tensor1d(pw), tf.tensor1d(pl)]);
    const gws = gw.dataSync();
    const gls = gl.dataSync();
    pw.forEach((_, i) => {
      const m = beta * (pw[i] - rw[i] - (pl[i] - rl[i]));
      const s = 1 / (1 + Math.exp(m));
      expect(gws[i]).toBeCloseTo((-beta * s) / pw.length, 6);
      expect(gls[i]).toBeCloseTo((beta * s) / pw.length, 6);
    });
  });

  it('stays finite and exact for margins of ±1000, and leaks nothing', () => {
    const t = (v: number[]) => tf.tensor1d(v);
    const args = [t([1000, -1000]), t([0, 0]), t([0, 0]), t([0, 0])] as const;
    const before = tf.memory().numTensors;
    const loss = dpoLoss(...args, 1);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(loss.dataSync()[0]).toBeCloseTo(500, 2);
    const [g] = tf.grads((a: L.tf.Tensor) => dpoLoss(a as L.tf.Tensor1D, args[1], args[2], args[3], 1))([args[0]]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('depends only on the difference of the two log-ratios', () => {
    const t = (v: number[]) => tf.tensor1d(v);
    const a = dpoLoss(t([-5]), t([-6]), t([-5]), t([-5]), 2).dataSync()[0];
    const b = dpoLoss(t([-105]), t([-6]), t([-105]), t([-5]), 2).dataSync()[0];
    expect(a).toBeCloseTo(b, 4);
    expect(a).toBeCloseTo(Math.log1p(Math.exp(-2)), 5);
  });
});
