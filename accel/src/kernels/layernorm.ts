/**
 * Layer norm as one kernel forward and one backward, instead of about eight and twenty.
 * Each row of C features (the last axis of x):
 *   μ = Σx / C,  σ² = Σ(x − μ)² / C (biased, as PyTorch),  r = 1 / √(σ² + ε),  x̂ = (x − μ)·r
 *   y = x̂·γ + β
 * and backward, with dŷ = dy·γ:
 *   dx = r·(dŷ − mean(dŷ) − x̂·mean(dŷ·x̂))    (means over the row's C features)
 *   dγ = Σ dy·x̂,  dβ = Σ dy                    (sums over every row)
 * The forward returns r per row as an extra output; the tape keeps it for the backward, and
 * `fusedLayerNorm` disposes the caller's copy, so the model sees only y.
 * Row statistics are accumulated in float64 (JS numbers) and in two passes (mean, then squared
 * deviations), so inputs with a large mean (x + 1000) lose nothing to cancellation. The backward
 * recomputes μ (one pass of C additions per row) rather than saving it: a float32 μ is off by up to
 * half a float32 step of μ itself (3e-5 at μ = 1000), which would shift every x̂ of a unit-variance row
 * by that much; r saved as float32 is within 6e-8 of its own value, so it is saved.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, registerFusedKernel, runFused } from '../fused';

interface LayerNormAttrs {
  eps: number;
}

/** y (x's shape) and r (x's shape without its last axis). */
function forwardShapes([x]: number[][]): number[][] {
  return [x, x.slice(0, -1)];
}

/** One pass per row for μ, one for σ², one to write y; `bias` undefined means β = 0. */
function forward(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
  rstd: Float32Array,
  eps: number,
): void {
  const C = weight.length;
  const rows = rstd.length;
  for (let row = 0, o = 0; row < rows; row++, o += C) {
    let sum = 0;
    for (let c = 0; c < C; c++) sum += x[o + c];
    const mu = sum / C;
    let sq = 0;
    for (let c = 0; c < C; c++) {
      const d = x[o + c] - mu;
      sq += d * d;
    }
    const r = 1 / Math.sqrt(sq / C + eps);
    if (bias) for (let c = 0; c < C; c++) y[o + c] = (x[o + c] - mu) * r * weight[c] + bias[c];
    else for (let c = 0; c < C; c++) y[o + c] = (x[o + c] - mu) * r * weight[c];
    rstd[row] = r;
  }
}

/** The backward of both kernels: dx, dγ, dβ (dβ is simply not used when there is no bias). */
function backwardOf(dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] {
  const [x, weight, rstd] = saved;
  // Run now, not inside the per-input thunks: the engine runs each thunk in its own tidy, which would
  // dispose the other two outputs. Made here, they live in the backward pass's scope, which disposes
  // whatever the tape does not use.
  return runFused('HowLlmsLayerNormGrad', { dy, x, weight, rstd });
}

// The gradient sees dy for every output; only y's matters: r never leaves fusedLayerNorm.
const firstDy = (dy: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(dy) ? dy[0] : dy);

registerFusedKernel<LayerNormAttrs>(
  {
    name: 'HowLlmsLayerNorm',
    inputs: ['x', 'weight', 'bias'],
    outputShapes: forwardShapes,
    native: 'layerNorm',
    nativeArgs: (_shapes, { eps }) => [eps],
    compute: ([x, weight, bias], [y, rstd], _shapes, { eps }) => forward(x, weight, bias, y, rstd, eps),
  },
  {
    inputsToSave: ['x', 'weight'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [dx, dweight, dbias] = backwardOf(firstDy(dy), saved);
      return { x: () => dx, weight: () => dweight, bias: () => dbias };
    },
  },
);

registerFusedKernel<LayerNormAttrs>(
  {
    name: 'HowLlmsLayerNormNoBias',
    inputs: ['x', 'weight'],
    outputShapes: forwardShapes,
    native: 'layerNorm',
    nativeArgs: (_shapes, { eps }) => [eps],
    compute: ([x, weight], [y, rstd], _shapes, { eps }) => forward(x, weight, undefined, y, rstd, eps),
  },
  {
    inputsToSave: ['x', 'weight'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [dx, dweight, dbias] = backwardOf(firstDy(dy), saved);
      dbias.dispose();
      return { x: () => dx, weight: () => dweight };
    },
  },
);

registerFusedKernel({
  name: 'HowLlmsLayerNormGrad',
  inputs: ['dy', 'x', 'weight', 'rstd'],
  outputShapes: ([, x, weight]) => [x, weight, weight],
  native: 'layerNormGrad',
  compute: ([dy, x, weight, rstd], [dx, dweight, dbias]) => {
    const C = weight.length;
    const rows = rstd.length;
    const dw = new Float64Array(C);
    const db = new Float64Array(C);
    for (let row = 0, o = 0; row < rows; row++, o += C) {
      let sum = 0;
      for (let c = 0; c < C; c++) sum += x[o + c];
      const mu = sum / C; // as the forward computed it, in float64
      const r = rstd[row];
      let sumG = 0; // Σ dŷ
      let sumGX = 0; // Σ dŷ·x̂
      for (let c = 0; c < C; c++) {
        const xh = (x[o + c] - mu) * r;
        const d = dy[o + c];
        const g = d * weight[c];
        sumG += g;
        sumGX += g * xh;
        dw[c] += d * xh;
        db[c] += d;
      }
      const meanG = sumG / C;
      const meanGX = sumGX / C;
      for (let c = 0; c < C; c++) {
        const xh = (x[o + c] - mu) * r;
        dx[o + c] = r * (dy[o + c] * weight[c] - meanG - xh * meanGX);
      }
    }
    dweight.set(dw);
    dbias.set(db);
  },
});

/**
 * Layer norm of x (…, C) with γ (C) and optional β (C) in one kernel, or undefined where no fused
 * kernel runs (other backends, switched off, other dtypes or shapes): use the reference then.
 */
export function fusedLayerNorm(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor, eps = 1e-5): tf.Tensor | undefined {
  if (x.rank < 1) return undefined;
  const C = x.shape[x.rank - 1];
  if (C === 0 || !tf.util.arraysEqual(weight.shape, [C]) || (bias && !tf.util.arraysEqual(bias.shape, [C])))
    return undefined;
  const name = bias ? 'HowLlmsLayerNorm' : 'HowLlmsLayerNormNoBias';
  const inputs: Record<string, tf.Tensor> = bias ? { x, weight, bias } : { x, weight };
  if (!fusedAvailable(name, Object.values(inputs))) return undefined;
  const [y, rstd] = runFused(name, inputs, { eps });
  rstd.dispose(); // the tape keeps its own copy of r for the backward; this one is the caller's, unused
  return y;
}
