/**
 * The global norm of a whole list of gradients, and the clip factor, as one kernel instead of about two ops per gradient:
 *   ‖g‖ = √(Σᵢ Σ gᵢ²) over every gradient,   factor = min(1, c / ‖g‖)   (c = ∞: 1, no clipping)
 * The sum runs in float64, so it is no less accurate than the reference's float32 per-tensor sums.
 * Scaling the gradients by the factor stays composed (one Multiply each): measured on wasm, a JS loop that writes
 * every element is several times slower than the backend's SIMD Multiply, which outweighs the calls saved; better,
 * the factor goes into the AdamW kernel (`adamwStep`'s `gradScale`) and no scaled copy is made at all.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, registerFusedKernel, runFused } from '../fused';

interface GlobalNormAttrs {
  maxNorm: number;
}

/** Σ x² of one array, with four running sums: one would wait on its own previous add every element. */
function sumOfSquares(x: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = x.length;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const a = x[i];
    const b = x[i + 1];
    const c = x[i + 2];
    const d = x[i + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; i < n; i++) s0 += x[i] * x[i];
  return s0 + s1 + s2 + s3;
}

registerFusedKernel<GlobalNormAttrs>({
  name: 'HowLlmsGlobalNorm',
  inputs: [],
  variadic: true,
  outputShapes: () => [[], []],
  native: 'globalNorm',
  nativeArgs: (_shapes, { maxNorm }) => [maxNorm],
  compute: (gs, [norm, factor], _shapes, { maxNorm }) => {
    let sum = 0;
    for (let k = 0; k < gs.length; k++) sum += sumOfSquares(gs[k]);
    const n = Math.sqrt(sum);
    norm[0] = n;
    // As the reference: c / max(‖g‖, c), so a NaN norm gives a NaN factor (the step fails visibly, not silently).
    factor[0] = maxNorm === Infinity ? 1 : maxNorm / Math.max(n, maxNorm);
  },
});

/** A list as a kernel's variadic inputs: keys '0', '1', …, which keep the list's order. */
function numbered(tensors: tf.Tensor[]): Record<string, tf.Tensor> {
  return Object.fromEntries(tensors.map((t, i) => [String(i), t]));
}

/**
 * The global norm () of tensors and the clip factor () min(1, maxNorm / norm) in one kernel, or undefined
 * where no fused kernel runs (use the reference then).
 */
export function fusedGlobalNorm(
  tensors: tf.Tensor[],
  maxNorm: number,
): { norm: tf.Scalar; factor: tf.Scalar } | undefined {
  if (!fusedAvailable('HowLlmsGlobalNorm', tensors)) return undefined;
  const [norm, factor] = runFused('HowLlmsGlobalNorm', numbered(tensors), { maxNorm });
  return { norm: norm as tf.Scalar, factor: factor as tf.Scalar };
}
