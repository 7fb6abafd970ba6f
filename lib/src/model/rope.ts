/**
 * Rotary position embedding (RoPE, Su et al. 2021): rotate each pair (x_2i, x_2i+1) of a query or key
 * by the angle p · θ_i, θ_i = 10000^(−2i/D). A query at p and a key at q then meet at an angle that
 * depends only on p − q, so attention scores see relative position and the values carry no position at all.
 * Pairs are adjacent dimensions, as in the paper (GPT-NeoX's "rotate half" pairs i with i + D/2 instead).
 */
import * as tf from '@tensorflow/tfjs-core';
import { sinusoidalFrequencies } from './sinusoidal';

/** cos and signed sin tables for positions offset … offset+T−1 → two (T, D): cos[p, 2i] = cos[p, 2i+1], sin[p, 2i] = −sin, sin[p, 2i+1] = +sin. */
export function ropeTables(T: number, D: number, offset = 0, base = 10000): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  if (D % 2 !== 0)
    throw new Error(
      `RoPE rotates pairs of dimensions, so the head width must be even, got ${D}: choose nEmbd / nHead even`,
    );
  const freq = sinusoidalFrequencies(D, base);
  const cos = new Float32Array(T * D);
  const sin = new Float32Array(T * D);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < D / 2; i++) {
      const angle = (t + offset) * freq[i];
      cos[t * D + 2 * i] = cos[t * D + 2 * i + 1] = Math.cos(angle);
      sin[t * D + 2 * i] = -Math.sin(angle);
      sin[t * D + 2 * i + 1] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor2d(cos, [T, D]), sin: tf.tensor2d(sin, [T, D]) };
}

/** Rotate queries or keys x (B, H, T, D) at positions offset … offset+T−1 → (B, H, T, D). */
export function applyRope(x: tf.Tensor, offset = 0, base = 10000): tf.Tensor {
  return tf.tidy(() => {
    const [B, H, T, D] = x.shape as number[];
    const { cos, sin } = ropeTables(T, D, offset, base); // (T, D)
    // (x_2i, x_2i+1) → (x_2i+1, x_2i); with the signed sin this is (x0 cos − x1 sin, x1 cos + x0 sin).
    const swapped = tf.reverse(x.reshape([B, H, T, D / 2, 2]), -1).reshape([B, H, T, D]);
    return x.mul(cos).add(swapped.mul(sin)); // (B, H, T, D)
  });
}
