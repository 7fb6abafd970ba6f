/**
 * What each way of splitting training must send between devices per step, on paper. An all-reduce of X bytes over
 * N devices done as a ring sends 2(N−1)/N·X from each device, 2(N−1)·X in all (Patarasuk & Yuan 2009; NCCL's
 * algorithm). Data parallelism all-reduces every gradient; pipeline parallelism sends activations forward and their
 * gradients back at each stage boundary; Megatron tensor parallelism all-reduces each block's attention and MLP
 * outputs forward and their input gradients back (Shoeybi et al. 2019, section 3).
 */
import { transformerParameters, type TransformerSize } from './flops';

/** Bytes all devices together send for one ring all-reduce of `bytes` over `devices` devices: 2(N−1)·X. */
export function ringAllReduceBytes(bytes: number, devices: number): number {
  if (!Number.isInteger(devices) || devices < 1) throw new Error(`devices must be a positive integer, got ${devices}`);
  return 2 * (devices - 1) * bytes;
}

/** Bytes a Megatron MLP sends per step on B·T tokens of width C over N devices: two all-reduces of (B, T, C). */
export function tensorParallelMlpBytes(tokens: number, width: number, devices: number, bytesPerValue = 4): number {
  return 2 * ringAllReduceBytes(tokens * width * bytesPerValue, devices);
}

/** One scheme's traffic per training step. */
export interface CommunicationEstimate {
  scheme: 'data' | 'pipeline' | 'tensor';
  /** What crosses between devices. */
  what: string;
  /** Bytes all devices together send per step. */
  bytes: number;
}

/**
 * Per-step traffic of data, pipeline (`devices` equal stages) and tensor parallelism (`devices`-way) for a GPT of
 * `size` on a batch of `batch` sequences of T tokens, values of `bytesPerValue` bytes (4: fp32).
 */
export function communicationPerStep(
  size: TransformerSize,
  o: { batch: number; devices: number; bytesPerValue?: number },
): CommunicationEstimate[] {
  const b = o.bytesPerValue ?? 4;
  const N = o.devices;
  const tokens = o.batch * size.blockSize;
  const activation = tokens * size.nEmbd * b; // one (B, T, C) tensor
  const { total } = transformerParameters(size);
  const tied = (size.tiedHead ?? true) && N > 1;
  return [
    {
      scheme: 'data',
      what: 'every parameter’s gradient, all-reduced once',
      bytes: ringAllReduceBytes(total * b, N),
    },
    {
      scheme: 'pipeline',
      what: 'activations forward and their gradients back at each stage boundary, plus the tied embedding’s gradient',
      bytes: (N - 1) * 2 * activation + (tied ? ringAllReduceBytes(size.vocabSize * size.nEmbd * b, 2) : 0),
    },
    {
      scheme: 'tensor',
      what: 'each block’s attention and MLP outputs forward and input gradients back, all-reduced (4 per block)',
      bytes: size.nLayer * 2 * tensorParallelMlpBytes(tokens, size.nEmbd, N, b),
    },
  ];
}
