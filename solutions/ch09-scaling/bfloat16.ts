/**
 * Round a number to bfloat16, the 16-bit format of TPUs and recent GPUs: fp32's sign and 8 exponent bits
 * with only 7 mantissa bits. Take the fp32 bits (a Float32Array and a Uint32Array on one buffer), round
 * away the low 16 bits to nearest with ties to even (add 0x7FFF plus the lowest kept bit, then clear the
 * low 16 bits), and read the result back as a float. NaN stays NaN; ±Infinity stays as it is.
 *
 * Example: roundToBfloat16(1 / 3) → 0.333984375 (bits 0x3EAB); roundToBfloat16(1 + 2 ** -8) → 1 (a tie, to even).
 */
export function roundToBfloat16(x: number): number {
  // BEGIN SOLUTION: Mixed precision
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (Number.isNaN(f[0])) return NaN;
  const bits = u[0];
  const lsb = (bits >>> 16) & 1;
  u[0] = ((bits + 0x7fff + lsb) & 0xffff0000) >>> 0;
  return f[0];
  // END SOLUTION
}
