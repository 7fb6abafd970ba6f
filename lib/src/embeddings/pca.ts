/**
 * Principal component analysis, to draw word vectors on a page: the k directions of largest
 * variance, found by power iteration on the (C, C) covariance, and each row's coordinates along them.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Coordinates (N, k), unit components (k, C), and the share of total variance each component explains (k). */
export interface PcaResult {
  coords: number[][];
  components: number[][];
  explainedVarianceRatio: number[];
}

function covariance(x: tf.Tensor2D): { cov: Float32Array; C: number; centered: tf.Tensor2D } {
  const [N, C] = x.shape;
  const centered = tf.tidy(() => x.sub(x.mean(0, true)) as tf.Tensor2D); // (N, C)
  const covT = tf.tidy(() => tf.matMul(centered, centered, true, false).div(Math.max(N - 1, 1))); // (C, C)
  const cov = covT.dataSync() as Float32Array;
  covT.dispose();
  return { cov, C, centered };
}

/** Top-k principal components of rows x (N, C) → coords (N, k) by power iteration with deflation (seeded start). */
export function pca(x: tf.Tensor2D, k = 2, iterations = 200): PcaResult {
  const [N, C] = x.shape;
  if (!Number.isInteger(k) || k < 1 || k > C)
    throw new Error(`PCA k must be an integer in [1, ${C}] (the vector width), got ${k}`);
  if (N < 2) throw new Error(`PCA needs at least 2 rows, got ${N}`);
  const { cov, centered } = covariance(x);
  const A = Float64Array.from(cov); // deflated in place: A ← A − λ v vᵀ after each component
  let trace = 0;
  for (let i = 0; i < C; i++) trace += A[i * C + i];
  const components: number[][] = [];
  const variances: number[] = [];
  for (let c = 0; c < k; c++) {
    // A fixed, non-symmetric start vector: repeatable without randomness, unlikely to be orthogonal to the answer.
    let v = Array.from({ length: C }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Array<number>(C).fill(0);
      for (let i = 0; i < C; i++) for (let j = 0; j < C; j++) w[i] += A[i * C + j] * v[j];
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((z) => z / norm);
    }
    // Fix the sign so the largest entry is positive: eigenvectors are only defined up to ±.
    const big = v.reduce((m, z, i) => (Math.abs(z) > Math.abs(v[m]) ? i : m), 0);
    if (v[big] < 0) v = v.map((z) => -z);
    components.push(v);
    variances.push(lambda);
    for (let i = 0; i < C; i++) for (let j = 0; j < C; j++) A[i * C + j] -= lambda * v[i] * v[j];
  }
  const coordsT = tf.tidy(() => tf.matMul(centered, tf.tensor2d(components), false, true)); // (N, C) @ (C, k) → (N, k)
  const coords = coordsT.arraySync() as number[][];
  tf.dispose([coordsT, centered]);
  return { coords, components, explainedVarianceRatio: variances.map((l) => (trace > 0 ? l / trace : 0)) };
}
