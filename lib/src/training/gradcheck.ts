/**
 * Finite-difference gradient check: compare autodiff's gradient with (f(x + h) − f(x − h)) / 2h
 * at a few coordinates. The way to trust a hand-written gradient (like crossEntropy's).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';

/** Result of a gradient check: the worst relative error over the checked coordinates. */
export interface GradCheckResult {
  maxRelativeError: number;
  checked: { index: number; analytic: number; numeric: number }[];
}

/** Check f: x (any shape) → scalar at `samples` random coordinates of x with central differences of step h. */
export function gradientCheck(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  options: { h?: number; samples?: number; seed?: number } = {},
): GradCheckResult {
  const h = options.h ?? 1e-2; // float32: smaller steps drown in rounding error
  const rng = new Rng(options.seed ?? 0);
  const analyticT = tf.tidy(() => tf.grad(f)(x));
  const analytic = analyticT.dataSync();
  analyticT.dispose();
  const base = x.dataSync().slice();
  const at = (values: Float32Array) => tf.tidy(() => f(tf.tensor(values, x.shape, 'float32')).dataSync()[0]);
  const checked: GradCheckResult['checked'] = [];
  let maxRelativeError = 0;
  for (let s = 0; s < (options.samples ?? 10); s++) {
    const index = rng.int(base.length);
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[index] += h;
    minus[index] -= h;
    const numeric = (at(plus) - at(minus)) / (2 * h);
    const a = analytic[index];
    const rel = Math.abs(a - numeric) / Math.max(1e-3, Math.abs(a) + Math.abs(numeric));
    maxRelativeError = Math.max(maxRelativeError, rel);
    checked.push({ index, analytic: a, numeric });
  }
  return { maxRelativeError, checked };
}
