/**
 * Simulated low-precision number formats. GPUs train in fp16 or bf16; TF.js computes in fp32, so we
 * round fp32 values to the nearest value the narrow format can hold (round half to even, as IEEE 754
 * hardware does) and keep computing in fp32. What survives the rounding is exactly what the narrow
 * format would have stored, so underflow, overflow and lost precision show up as they would on a GPU.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The formats the course simulates. */
export type FloatFormatName = 'fp32' | 'fp16' | 'bf16';

/** A binary floating-point format described by its mantissa width and exponent range. */
export interface FloatFormat {
  name: FloatFormatName;
  /** Stored mantissa bits (fp16: 10, bf16: 7, fp32: 23). */
  mantissaBits: number;
  /** Exponent of the smallest normal number (fp16: -14, bf16 and fp32: -126). */
  minExponent: number;
  /** The largest finite value. */
  maxFinite: number;
  /** Bytes per value. */
  bytes: number;
}

/** IEEE 754 half, bfloat16 ("brain float": fp32's exponent, 7 mantissa bits) and single precision. */
export const FLOAT_FORMATS: Record<FloatFormatName, FloatFormat> = {
  fp16: { name: 'fp16', mantissaBits: 10, minExponent: -14, maxFinite: 65504, bytes: 2 },
  bf16: { name: 'bf16', mantissaBits: 7, minExponent: -126, maxFinite: (2 - 2 ** -7) * 2 ** 127, bytes: 2 },
  fp32: { name: 'fp32', mantissaBits: 23, minExponent: -126, maxFinite: (2 - 2 ** -23) * 2 ** 127, bytes: 4 },
};

function formatOf(format: FloatFormatName | FloatFormat): FloatFormat {
  if (typeof format !== 'string') return format;
  const found = FLOAT_FORMATS[format];
  if (!found) throw new Error(`unknown float format "${format}"; use one of ${Object.keys(FLOAT_FORMATS).join(', ')}`);
  return found;
}

/** Round half to even: the tie-break IEEE hardware uses, so that rounding errors do not drift one way. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Exponent e with 2^e <= a < 2^(e+1), exact (Math.log2 alone can be off by one near powers of two). */
function binaryExponent(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** The value `x` becomes when stored in `format` (round to nearest, ties to even; overflow gives ±Infinity). */
export function roundToFormat(x: number, format: FloatFormatName | FloatFormat): number {
  const f = formatOf(format);
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  // Below the smallest normal the spacing stops shrinking (subnormals): that is where gradients underflow.
  const e = Math.max(binaryExponent(a), f.minExponent);
  const ulp = 2 ** (e - f.mantissaBits);
  const rounded = roundHalfEven(a / ulp) * ulp; // exact: dividing by a power of two loses nothing
  if (rounded > f.maxFinite) return x > 0 ? Infinity : -Infinity;
  return x > 0 ? rounded : rounded === 0 ? -0 : -rounded;
}

/** Round every value of an array to `format`; returns a new Float32Array of the same length. */
export function roundArrayToFormat(values: ArrayLike<number>, format: FloatFormatName | FloatFormat): Float32Array {
  const f = formatOf(format);
  const out = new Float32Array(values.length);
  if (f.name === 'fp32') {
    out.set(values as ArrayLike<number>);
    return out;
  }
  for (let i = 0; i < values.length; i++) out[i] = roundToFormat(values[i], f);
  return out;
}

/** A tensor of the same shape (any) holding `x` rounded to `format`, still stored as fp32. */
export function roundTensorToFormat(x: tf.Tensor, format: FloatFormatName | FloatFormat): tf.Tensor {
  const f = formatOf(format);
  if (f.name === 'fp32') return x.clone();
  return tf.tensor(roundArrayToFormat(x.dataSync() as Float32Array, f), x.shape, 'float32');
}

/** The 16 bits IEEE half precision stores for `x` (sign, 5 exponent bits, 10 mantissa bits). */
export function float16Bits(x: number): number {
  const v = roundToFormat(x, 'fp16');
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (Number.isNaN(v)) return 0x7e00;
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | (a / 2 ** -24); // subnormal: exponent field 0, mantissa counts 2^-24 steps
  const e = binaryExponent(a);
  return sign | ((e + 15) << 10) | (a / 2 ** (e - 10) - 1024);
}

/** The 16 bits bfloat16 stores for `x`: the top half of the fp32 bits after rounding. */
export function bfloat16Bits(x: number): number {
  const buf = new Float32Array([roundToFormat(x, 'bf16')]);
  return new Uint32Array(buf.buffer)[0] >>> 16;
}

/** How a set of values fares in `format`: how many became zero, infinite, or lost relative precision. */
export interface FormatDamage {
  /** Nonzero values that rounded to zero (underflow). */
  flushedToZero: number;
  /** Finite values that became ±Infinity (overflow). */
  overflowed: number;
  /** Fraction of nonzero values that rounded to zero. */
  underflowFraction: number;
  /** Largest relative error among values that stayed finite and nonzero. */
  maxRelativeError: number;
}

/** Count what storing `values` in `format` does to them. */
export function formatDamage(values: ArrayLike<number>, format: FloatFormatName | FloatFormat): FormatDamage {
  const f = formatOf(format);
  let nonzero = 0;
  let flushedToZero = 0;
  let overflowed = 0;
  let maxRelativeError = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === 0 || !Number.isFinite(x)) continue;
    nonzero++;
    const r = roundToFormat(x, f);
    if (r === 0) flushedToZero++;
    else if (!Number.isFinite(r)) overflowed++;
    else maxRelativeError = Math.max(maxRelativeError, Math.abs(r - x) / Math.abs(x));
  }
  return { flushedToZero, overflowed, underflowFraction: nonzero ? flushedToZero / nonzero : 0, maxRelativeError };
}
