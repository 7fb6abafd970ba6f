import { describe, expect, it } from 'vitest';
import {
  adamwStep,
  clipByGlobalNorm,
  createAdamW,
  disposeAdamW,
  globalNorm,
  tf,
  type Params,
} from '@how-llms-work/lib';

// AdamW written out in float64 for one parameter vector, as torch.optim.AdamW computes it.
function referenceAdamW(
  p: number[],
  grads: number[][],
  lrs: number[],
  o: { b1: number; b2: number; eps: number; wd: number },
): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  let x = p.slice();
  grads.forEach((g, i) => {
    const t = i + 1;
    const lr = lrs[i];
    x = x.map((xi, j) => {
      m[j] = o.b1 * m[j] + (1 - o.b1) * g[j];
      v[j] = o.b2 * v[j] + (1 - o.b2) * g[j] * g[j];
      const decayed = xi * (1 - lr * o.wd);
      return decayed - (lr / (1 - o.b1 ** t)) * (m[j] / (Math.sqrt(v[j] / (1 - o.b2 ** t)) + o.eps));
    });
  });
  return x;
}

describe('AdamW', () => {
  it('matches the written-out update, with decay on matrices and none on vectors', () => {
    const params: Params = {
      'w.weight': tf.variable(
        tf.tensor2d([
          [0.5, -1],
          [2, 0.1],
        ]),
      ),
      'w.bias': tf.variable(tf.tensor1d([0.3, -0.7])),
    };
    const opt = createAdamW(params, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });
    expect(opt.decayed).toEqual(['w.weight']);
    const gw = [
      [0.1, -0.2, 0.3, 0.05],
      [-0.4, 0.1, 0.0, 0.2],
      [0.3, 0.3, -0.1, -0.2],
    ];
    const gb = [
      [1, -2],
      [0.5, 0.5],
      [-1, 0],
    ];
    const lrs = [0.1, 0.05, 0.02];
    for (let i = 0; i < 3; i++) {
      const grads = { 'w.weight': tf.tensor2d(gw[i], [2, 2]), 'w.bias': tf.tensor1d(gb[i]) };
      adamwStep(opt, params, grads, lrs[i]);
      tf.dispose(Object.values(grads));
    }
    const o = { b1: 0.9, b2: 0.95, eps: 1e-8, wd: 0.1 };
    const wantW = referenceAdamW([0.5, -1, 2, 0.1], gw, lrs, o);
    const wantB = referenceAdamW([0.3, -0.7], gb, lrs, { ...o, wd: 0 });
    Array.from(params['w.weight'].dataSync()).forEach((v, j) => expect(v).toBeCloseTo(wantW[j], 5));
    Array.from(params['w.bias'].dataSync()).forEach((v, j) => expect(v).toBeCloseTo(wantB[j], 5));
    expect(opt.step).toBe(3);
    disposeAdamW(opt);
    tf.dispose(Object.values(params));
  });

  it('decays weights even with a zero gradient (decoupled from the gradient)', () => {
    const params: Params = { 'w.weight': tf.variable(tf.ones([2, 2])) };
    const opt = createAdamW(params, { weightDecay: 0.5 });
    const g = { 'w.weight': tf.zeros([2, 2]) };
    adamwStep(opt, params, g, 0.1);
    expect(params['w.weight'].dataSync()[0]).toBeCloseTo(0.95, 6);
    disposeAdamW(opt);
    tf.dispose([...Object.values(params), g['w.weight']]);
  });

  it('holds exactly two moment tensors per parameter, and frees them all', () => {
    const params: Params = { w: tf.variable(tf.zeros([3, 4])), b: tf.variable(tf.zeros([4])) };
    const before = tf.memory().numTensors;
    const state = createAdamW(params);
    expect(tf.memory().numTensors - before).toBe(4);
    disposeAdamW(state);
    expect(tf.memory().numTensors).toBe(before);
    Object.values(params).forEach((p) => p.dispose());
  });

  it('rejects bad hyper-parameters with the value', () => {
    const params: Params = { a: tf.variable(tf.ones([2])) };
    expect(() => createAdamW(params, { beta1: 1 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
    const opt = createAdamW(params);
    expect(() => adamwStep(opt, params, {}, NaN)).toThrow(/got NaN/);
    disposeAdamW(opt);
    params.a.dispose();
  });
});

describe('clipping by global norm', () => {
  it('scales every gradient by maxNorm / norm when the norm is too large', () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // global norm 5
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(Array.from(clipped.a.dataSync())).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(Array.from(clipped.b.dataSync())).toEqual([0, expect.closeTo(0.8, 6)]);
    const after = globalNorm(clipped);
    expect(after.dataSync()[0]).toBeCloseTo(1, 6);
    tf.dispose([...Object.values(grads), ...Object.values(clipped), norm, after]);
  });

  it('leaves small gradients untouched', () => {
    const grads = { a: tf.tensor1d([0.3, 0.4]) };
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
    expect(Array.from(clipped.a.dataSync())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)]);
    expect(() => clipByGlobalNorm(grads, 0)).toThrow(/positive, got 0/);
    tf.dispose([grads.a, clipped.a, norm]);
  });
});
