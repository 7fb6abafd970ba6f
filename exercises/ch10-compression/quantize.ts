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
  throw new Error('TODO: implement quantizeInt8 (see the chapter 10 notebook, section Quantization)');
}

/**
 * Back from int8: scale · q for each integer.
 *
 * Example: dequantizeInt8({ q: Int8Array.from([−127, 0, 64]), scale: 1/127 }) → [−1, 0, 0.50393…].
 */
export function dequantizeInt8(t: Int8Tensor): Float32Array {
  throw new Error('TODO: implement dequantizeInt8 (see the chapter 10 notebook, section Quantization)');
}
