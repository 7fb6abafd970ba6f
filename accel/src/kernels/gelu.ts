/**
 * GELU (GPT-2's tanh form) as one kernel forward and one backward, instead of about ten and twenty.
 *   y  = ½x(1 + t),  t = tanh(u),  u = √(2/π)(x + 0.044715x³)
 *   dy/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, registerFusedKernel, runFused } from '../fused';

const C = Math.sqrt(2 / Math.PI);
const A = 0.044715;

/**
 * tanh as a rational function of u² for |u| < 4, within 3e-7 of Math.tanh and three times faster (Math.tanh and
 * Math.exp cost ~15 ns each here); coefficients from Eigen's float32 `ptanh` (a 13/6 minimax fit). Beyond 4,
 * where the fit's absolute error would swamp 1 − tanh², one exp: tanh u = sign(u)(1 − 2e/(1 + e)), e = exp(−2|u|).
 */
function tanh(u: number): number {
  if (u > 4 || u < -4) {
    const e = Math.exp(-2 * Math.abs(u));
    return u > 0 ? 1 - (2 * e) / (1 + e) : (2 * e) / (1 + e) - 1;
  }
  const u2 = u * u;
  let p = u2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = u2 * p - 8.60467152213735e-11;
  p = u2 * p + 5.12229709037114e-8;
  p = u2 * p + 1.48572235717979e-5;
  p = u2 * p + 6.37261928875436e-4;
  p = u2 * p + 4.89352455891786e-3;
  let q = u2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = u2 * q + 2.268434632439e-3;
  q = u2 * q + 4.89352518554385e-3;
  return (u * p) / q;
}

registerFusedKernel(
  {
    name: 'HowLlmsGelu',
    inputs: ['x'],
    outputShapes: ([x]) => [x],
    native: 'gelu',
    compute: ([x], [y]) => {
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        y[i] = 0.5 * v * (1 + tanh(C * (v + A * v * v * v)));
      }
    },
  },
  {
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => runFused('HowLlmsGeluGrad', { dy: dy as tf.Tensor, x: saved[0] })[0] }),
  },
);

registerFusedKernel({
  name: 'HowLlmsGeluGrad',
  inputs: ['dy', 'x'],
  outputShapes: ([, x]) => [x],
  native: 'geluGrad',
  compute: ([dy, x], [dx]) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const t = tanh(C * (v + A * v * v * v));
      dx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * A * v * v));
    }
  },
});

/** GELU of x (any shape) in one kernel, or undefined where no fused kernel runs (use the reference then). */
export function fusedGelu(x: tf.Tensor): tf.Tensor | undefined {
  return fusedAvailable('HowLlmsGelu', [x]) ? runFused('HowLlmsGelu', { x })[0] : undefined;
}
