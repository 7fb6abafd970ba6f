import { tf } from '@how-llms-work/lib';

/** A weight matrix stored as small integers with one scale per group: w ≈ scale[group] · q. */
export interface GroupQuantized {
  /** The integers, row-major like the weight (rows · cols), each in [−qmax, qmax] with qmax = 2^(bits−1) − 1. */
  q: Int8Array;
  /** One scale per group, groups numbered row by row: group j of row r is scale[r · cols / groupSize + j]. */
  scale: Float32Array;
  groupSize: number;
  bits: number;
  shape: [number, number];
}

/**
 * Symmetric per-group quantization of a weight (rows, cols), the int4 layout of GPTQ and AWQ: each row is cut into
 * runs of `groupSize` consecutive weights, and each run gets its own scale = max|w| / qmax (1 when the run is all
 * zeros), stored as a float32, with qmax = 2^(bits−1) − 1 (7 for int4). Each weight becomes
 * q = round(w / scale), rounding half to even, clamped to [−qmax, qmax]; divide by the float32 scale you store.
 * Throws an Error naming both numbers when groupSize does not divide cols, and one naming `bits` unless 2 ≤ bits ≤ 8.
 *
 * Example: [[0.875, −0.4375, 0.3125, 7]] with groupSize 2, bits 4 → scale [0.125, 1], q [7, −4, 0, 7]
 *          (−0.4375 / 0.125 = −3.5 rounds to the even −4; 0.3125 / 1 rounds to 0).
 */
export function quantizeGroups(weight: tf.Tensor2D, groupSize: number, bits = 4): GroupQuantized {
  // BEGIN SOLUTION: Quantization
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new Error(`bits must be an integer from 2 to 8, got ${bits}`);
  const [rows, cols] = weight.shape;
  if (!Number.isInteger(groupSize) || groupSize < 1 || cols % groupSize !== 0)
    throw new Error(`groupSize ${groupSize} does not divide the ${cols} columns`);
  const roundHalfEven = (v: number): number => {
    const f = Math.floor(v);
    const d = v - f;
    return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  };
  const qmax = 2 ** (bits - 1) - 1;
  const values = weight.dataSync();
  const scale = new Float32Array(values.length / groupSize);
  const q = new Int8Array(values.length);
  for (let g = 0; g < scale.length; g++) {
    let max = 0;
    for (let i = g * groupSize; i < (g + 1) * groupSize; i++) max = Math.max(max, Math.abs(values[i]));
    scale[g] = max > 0 ? max / qmax : 1;
    for (let i = g * groupSize; i < (g + 1) * groupSize; i++)
      q[i] = Math.max(-qmax, Math.min(qmax, roundHalfEven(values[i] / scale[g])));
  }
  return { q, scale, groupSize, bits, shape: [rows, cols] };
  // END SOLUTION
}

/**
 * Back to a float weight (rows, cols): scale[group of i] · q[i] for every entry.
 *
 * Example: the quantized example above → [[0.875, −0.5, 0, 7]].
 */
export function dequantizeGroups(t: GroupQuantized): tf.Tensor2D {
  // BEGIN SOLUTION: Quantization
  const out = Float32Array.from(t.q, (v, i) => v * t.scale[Math.floor(i / t.groupSize)]);
  return tf.tensor2d(out, t.shape);
  // END SOLUTION
}
