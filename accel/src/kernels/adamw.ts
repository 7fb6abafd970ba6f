/**
 * One AdamW update of one parameter as one kernel, instead of about fourteen ops (lib/src/training/adamw.ts
 * has the formula and its readable reference):
 *   g ← s·g                                        (s: the clip factor, 1 when not clipping)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   p ← p·(1 − lr·wd) − lr · (m / bc1) / (√(v / bc2) + ε),   bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ
 * Three outputs, the new p, m and v, from one pass; no gradient (optimizer updates are not differentiated).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, registerFusedKernel, runFused } from '../fused';

/** The step's hyper-parameters; weightDecay is this parameter's (0 when it does not decay). */
export interface AdamWKernelAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Bias corrections 1 − β1ᵗ and 1 − β2ᵗ. */
  bc1: number;
  bc2: number;
}

registerFusedKernel<AdamWKernelAttrs>({
  name: 'HowLlmsAdamW',
  inputs: ['param', 'm', 'v', 'grad', 'scale'],
  outputShapes: ([p]) => [p, p, p],
  native: 'adamw',
  nativeArgs: (_shapes, a) => [a.lr, a.beta1, a.beta2, a.eps, a.weightDecay, a.bc1, a.bc2],
  compute: ([p, m, v, grad, scale], [pOut, mOut, vOut], _shapes, a) => {
    // Everything fixed for the step is read once, out of the loop.
    const s = scale[0];
    const b1 = a.beta1;
    const b2 = a.beta2;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const decay = 1 - a.lr * a.weightDecay;
    const stepSize = a.lr / a.bc1;
    const invSqrtBc2 = 1 / Math.sqrt(a.bc2); // √(v / bc2) as PyTorch computes it: √v / √bc2
    const eps = a.eps;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const g = grad[i] * s;
      const mi = b1 * m[i] + c1 * g;
      const vi = b2 * v[i] + c2 * g * g;
      mOut[i] = mi;
      vOut[i] = vi;
      pOut[i] = p[i] * decay - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  },
});

/**
 * The new [param, m, v] of one AdamW step in one kernel, or undefined where no fused kernel runs (use the reference
 * then). scale () multiplies the gradient first (the clip factor).
 */
export function fusedAdamW(
  param: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  grad: tf.Tensor,
  scale: tf.Scalar,
  attrs: AdamWKernelAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] | undefined {
  if (!fusedAvailable('HowLlmsAdamW', [param, m, v, grad, scale])) return undefined;
  if (!tf.util.arraysEqual(param.shape, grad.shape)) {
    throw new Error(`AdamW: gradient shape [${grad.shape}] does not match the parameter's [${param.shape}]`);
  }
  const [p2, m2, v2] = runFused('HowLlmsAdamW', { param, m, v, grad, scale }, attrs);
  return [p2, m2, v2];
}
