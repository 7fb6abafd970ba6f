/** Symmetric int8: integers in [−127, 127] and one scale, so that value ≈ scale · q. */
export interface Int8Tensor {
  q: Int8Array;
  scale: number;
}

/**
 * Symmetric int8 quantization of a list of values: scale = max|x| / 127 (1 when every value is 0),
 * q = round(x / scale) clamped to [−127, 127]. Round half to even, as PyTorch does: 63.5 → 64, 62.5 → 62.
 * Zero maps to 0 exactly; dequantizing gives back every value within scale / 2.
 *
 * Example: quantizeInt8([−1, 0, 0.5, 1]) → { q: [−127, 0, 64, 127], scale: 1/127 }.
 */
export function quantizeInt8(values: ArrayLike<number>): Int8Tensor {
  // BEGIN SOLUTION: Quantization
  const roundHalfEven = (v: number): number => {
    const f = Math.floor(v);
    const d = v - f;
    return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  };
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = Math.max(-127, Math.min(127, roundHalfEven(values[i] / scale)));
  return { q, scale };
  // END SOLUTION
}

/**
 * Back from int8: scale · q for each integer.
 *
 * Example: dequantizeInt8({ q: Int8Array.from([−127, 0, 64]), scale: 1/127 }) → [−1, 0, 0.50393…].
 */
export function dequantizeInt8(t: Int8Tensor): Float32Array {
  // BEGIN SOLUTION: Quantization
  return Float32Array.from(t.q, (v) => v * t.scale);
  // END SOLUTION
}
