/**
 * Quantization: store each weight as a small integer q and recover it as scale · (q − zeroPoint).
 * Symmetric quantization maps [−max|w|, max|w|] onto [−(2^(b−1)−1), 2^(b−1)−1] with zeroPoint 0;
 * asymmetric maps [min, max] onto [0, 2^b − 1] with an integer zeroPoint so that 0.0 stays exact.
 * Per-tensor uses one scale for the whole matrix; per-channel one per output row, so a row of small
 * weights is not crushed by another row's outlier; per-group one per run of `groupSize` consecutive weights along
 * the last axis (GPTQ's and AWQ's int4 layout, groups of 32 to 128), finer still.
 * Rounding is half to even, as torch.quantize_per_tensor does.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors, Params } from '../model/params';

/** How to quantize. */
export interface QuantizeOptions {
  /** Integer width: 8 (int8) or 4 (int4); any width 2–16 works. */
  bits: number;
  scheme: 'symmetric' | 'asymmetric';
  /** One scale per tensor, one per slice along `axis` (per-channel), or one per `groupSize` consecutive weights of the last axis. */
  granularity: 'tensor' | 'channel' | 'group';
  /** The channel axis for per-channel (default 0: the output rows of a (out, in) weight). */
  axis?: number;
  /** Weights per group for per-group (must divide the last dimension), e.g. 32 or 128. */
  groupSize?: number;
}

/** A quantized tensor: integers, and one scale and zero point per channel (or one for the tensor). */
export interface QuantizedTensor {
  q: Int32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
  shape: number[];
  options: QuantizeOptions;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** The integer range for a scheme: symmetric drops the most negative value so that ±max are both representable. */
export function integerRange(bits: number, scheme: QuantizeOptions['scheme']): { qmin: number; qmax: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new Error(`bits must be an integer from 2 to 16, got ${bits}`);
  return scheme === 'symmetric'
    ? { qmin: -(2 ** (bits - 1) - 1), qmax: 2 ** (bits - 1) - 1 }
    : { qmin: 0, qmax: 2 ** bits - 1 };
}

/** How many scales a tensor of `shape` gets, and which one the flat (row-major) index i uses. */
function channelLayout(
  shape: number[],
  options: QuantizeOptions,
): { channels: number; channelOf: (i: number) => number } {
  const size = shape.reduce((a, b) => a * b, 1);
  if (options.granularity === 'group') {
    const g = options.groupSize;
    const last = shape[shape.length - 1] ?? 1;
    if (!Number.isInteger(g) || g! < 1 || last % g! !== 0)
      throw new Error(`per-group quantization needs a groupSize that divides the last dimension ${last}, got ${g}`);
    return { channels: size / g!, channelOf: (i) => Math.floor(i / g!) };
  }
  if (options.granularity !== 'channel') return { channels: 1, channelOf: () => 0 };
  const axis = options.axis ?? 0;
  if (axis < 0 || axis >= shape.length)
    throw new Error(`per-channel axis ${axis} is outside a rank-${shape.length} tensor; use 0 to ${shape.length - 1}`);
  // Channel of flat index i: (i / inner) mod channels, with inner the product of the dims after `axis`.
  const channels = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return { channels, channelOf: (i) => Math.floor(i / inner) % channels };
}

/** Scale and zero point for values in [lo, hi] (the range always includes 0, so zero stays exact). */
function rangeParams(lo: number, hi: number, o: QuantizeOptions): { scale: number; zeroPoint: number } {
  const { qmin, qmax } = integerRange(o.bits, o.scheme);
  if (o.scheme === 'symmetric') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return { scale: m > 0 ? m / qmax : 1, zeroPoint: 0 };
  }
  const min = Math.min(lo, 0);
  const max = Math.max(hi, 0);
  const scale = max > min ? (max - min) / (qmax - qmin) : 1;
  return { scale, zeroPoint: Math.min(qmax, Math.max(qmin, qmin + roundHalfEven(-min / scale))) };
}

/** Quantize x (any shape; per-channel along options.axis) to integers with scales and zero points. */
export function quantizeTensor(x: tf.Tensor, options: QuantizeOptions): QuantizedTensor {
  if (options.scheme !== 'symmetric' && options.scheme !== 'asymmetric')
    throw new Error(`scheme must be "symmetric" or "asymmetric", got ${String(options.scheme)}`);
  const { qmin, qmax } = integerRange(options.bits, options.scheme);
  const values = x.dataSync();
  const { channels, channelOf } = channelLayout(x.shape, options);
  const lo = new Float64Array(channels).fill(Infinity);
  const hi = new Float64Array(channels).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i);
    lo[c] = Math.min(lo[c], values[i]);
    hi[c] = Math.max(hi[c], values[i]);
  }
  const scale = new Float32Array(channels);
  const zeroPoint = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const r = rangeParams(lo[c], hi[c], options);
    scale[c] = r.scale;
    zeroPoint[c] = r.zeroPoint;
  }
  const q = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i);
    q[i] = Math.min(qmax, Math.max(qmin, roundHalfEven(values[i] / scale[c]) + zeroPoint[c]));
  }
  return { q, scale, zeroPoint, shape: x.shape.slice(), options };
}

/** Back to floats: scale · (q − zeroPoint), shaped like the original tensor. */
export function dequantizeTensor(t: QuantizedTensor): tf.Tensor {
  const { channelOf } = channelLayout(t.shape, t.options);
  const out = new Float32Array(t.q.length);
  for (let i = 0; i < out.length; i++) {
    const c = channelOf(i);
    out[i] = t.scale[c] * (t.q[i] - t.zeroPoint[c]);
  }
  return tf.tensor(out, t.shape, 'float32');
}

/** Bytes to store a quantized tensor: packed integers, an fp32 scale per channel, and (asymmetric) an integer zero point per channel. */
export function quantizedBytes(t: QuantizedTensor): number {
  const zeroPointBytes = t.options.scheme === 'asymmetric' ? Math.ceil(t.options.bits / 8) * t.zeroPoint.length : 0;
  return Math.ceil((t.q.length * t.options.bits) / 8) + 4 * t.scale.length + zeroPointBytes;
}

/** The parameters quantization acts on by default: matrices (rank ≥ 2); biases and norm gains stay fp32. */
export function quantizableByDefault(_name: string, p: tf.Tensor): boolean {
  return p.rank >= 2;
}

/** A model after a quantize–dequantize round trip, with its size and error. */
export interface QuantizedModel {
  /** Dequantized weights (fp32 again) to run the model with; unselected parameters are copies. The caller disposes them. */
  params: NamedTensors;
  /** Bytes on disk: quantized matrices plus the fp32 rest. */
  bytes: number;
  /** Root-mean-square error of the quantized weights against the originals. */
  rmsError: number;
}

/** Quantize every selected parameter, dequantize it again, and count bytes and error. */
export function quantizeParams(
  params: Params | NamedTensors,
  options: QuantizeOptions,
  select: (name: string, p: tf.Tensor) => boolean = quantizableByDefault,
): QuantizedModel {
  const out: NamedTensors = {};
  let bytes = 0;
  let sq = 0;
  let n = 0;
  for (const [name, p] of Object.entries(params)) {
    if (!select(name, p)) {
      out[name] = p.clone();
      bytes += 4 * p.size;
      continue;
    }
    const qt = quantizeTensor(p, options);
    out[name] = dequantizeTensor(qt);
    bytes += quantizedBytes(qt);
    const a = p.dataSync();
    const b = out[name].dataSync();
    for (let i = 0; i < a.length; i++) sq += (a[i] - b[i]) ** 2;
    n += a.length;
  }
  return { params: out, bytes, rmsError: n ? Math.sqrt(sq / n) : 0 };
}
