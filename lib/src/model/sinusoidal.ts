/**
 * Sinusoidal positional encoding (Vaswani et al. 2017):
 *   PE[p, 2i] = sin(p · ω_i),  PE[p, 2i+1] = cos(p · ω_i),  ω_i = 10000^(−2i/C).
 * Both sin and cos: the pair (sin, cos) at one frequency is what makes PE(p+k) a fixed rotation of PE(p).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The angular frequency ω_i = base^(−2i/C) of pair i, for i = 0 … ⌈C/2⌉−1. */
export function sinusoidalFrequencies(C: number, base = 10000): Float64Array {
  const pairs = Math.ceil(C / 2);
  const out = new Float64Array(pairs);
  for (let i = 0; i < pairs; i++) out[i] = Math.pow(base, (-2 * i) / C);
  return out;
}

/** The encoding of positions offset … offset+T−1 at width C as plain numbers (T·C, row-major), computed in float64. */
export function sinusoidalValues(T: number, C: number, offset = 0, base = 10000): Float32Array {
  if (!Number.isInteger(T) || T < 0) throw new Error(`sequence length must be a non-negative integer, got ${T}`);
  if (!Number.isInteger(C) || C < 1) throw new Error(`encoding width must be a positive integer, got ${C}`);
  const freq = sinusoidalFrequencies(C, base);
  const out = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    const p = t + offset;
    for (let d = 0; d < C; d++) {
      const angle = p * freq[d >> 1];
      out[t * C + d] = d % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/** Sinusoidal encoding of positions offset … offset+T−1 → (T, C). */
export function sinusoidalEncoding(T: number, C: number, offset = 0, base = 10000): tf.Tensor2D {
  return tf.tensor2d(sinusoidalValues(T, C, offset, base), [T, C]);
}
