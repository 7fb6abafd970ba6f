/**
 * Where training memory goes. Per parameter, Adam keeps the weight, its gradient and two moments;
 * mixed precision adds an fp32 master copy beside 16-bit weights and gradients (Rajbhandari et al.
 * 2019, "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models", section 3.1: 16 bytes
 * per parameter). Activations kept for the backward pass follow Korthikanti et al. 2022, "Reducing
 * Activation Recomputation in Large Transformer Models", equation 1: per layer
 * s·b·h·(34 + 5·a·s/h) bytes with 16-bit activations.
 */
import type { TransformerSize } from './flops';

/** How the weights are stored and updated. */
export type TrainingPrecision = 'fp32' | 'mixed';

/** Bytes of training state, by kind. */
export interface MemoryBreakdown {
  weights: number;
  gradients: number;
  /** Adam's two moments, plus the fp32 master weights under mixed precision. */
  optimizer: number;
  /** Activations saved for the backward pass (0 when no batch is given). */
  activations: number;
  total: number;
}

/** Bytes per parameter for weights, gradients and Adam state: fp32 4+4+8, mixed 2+2+(4+4+4). */
export function bytesPerParameter(precision: TrainingPrecision): {
  weights: number;
  gradients: number;
  optimizer: number;
} {
  if (precision === 'fp32') return { weights: 4, gradients: 4, optimizer: 8 };
  if (precision === 'mixed') return { weights: 2, gradients: 2, optimizer: 12 };
  throw new Error(`precision must be "fp32" or "mixed", got ${String(precision)}`);
}

/** Activation bytes one block keeps for backward for a (B, T) batch (Korthikanti et al. eq. 1, no recomputation). */
export function activationBytesPerLayer(
  size: TransformerSize,
  batch: number,
  seq = size.blockSize,
  precision: TrainingPrecision = 'mixed',
): number {
  const { nEmbd: h, nHead: a } = size;
  const sixteenBit = seq * batch * h * (34 + (5 * a * seq) / h);
  return precision === 'mixed' ? sixteenBit : 2 * sixteenBit; // fp32 activations take twice the bytes
}

/** Training memory for `parameters` weights with Adam, plus activations when a model size and batch are given. */
export function trainingMemory(
  parameters: number,
  opts: { precision?: TrainingPrecision; size?: TransformerSize; batch?: number; seq?: number } = {},
): MemoryBreakdown {
  if (!(parameters > 0)) throw new Error(`parameters must be positive, got ${parameters}`);
  const precision = opts.precision ?? 'fp32';
  const per = bytesPerParameter(precision);
  const activations =
    opts.size && opts.batch
      ? opts.size.nLayer * activationBytesPerLayer(opts.size, opts.batch, opts.seq, precision)
      : 0;
  const weights = per.weights * parameters;
  const gradients = per.gradients * parameters;
  const optimizer = per.optimizer * parameters;
  return { weights, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
}

/** Bytes as a short human string: 1.4 GB, 350 MB (powers of 1000, as GPU datasheets count). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toPrecision(3)} ${units[i]}`;
}
