/**
 * Tensors cross thread boundaries as plain typed arrays with a shape; parameters travel through one
 * SharedArrayBuffer laid out name by name, so that every worker reads the same weights without copies.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../model/params';

/** A tensor as plain data, safe to post to a worker. */
export interface TensorData {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Where each named tensor lives in a flat buffer. */
export interface Slot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Copy a tensor (any shape) out to plain data. */
export function toTensorData(t: tf.Tensor): TensorData {
  if (t.dtype !== 'float32' && t.dtype !== 'int32')
    throw new Error(`only float32 and int32 tensors can be sent to a worker, got ${t.dtype}`);
  return { data: t.dataSync().slice() as Float32Array | Int32Array, shape: t.shape.slice(), dtype: t.dtype };
}

/** Make a tensor from plain data (copies, so the tensor never aliases shared memory). */
export function fromTensorData(d: TensorData): tf.Tensor {
  return tf.tensor(d.data.slice(), d.shape, d.dtype);
}

/** The flat layout of named tensors, in their insertion order. */
export function layoutOf(named: NamedTensors): Slot[] {
  let offset = 0;
  return Object.entries(named).map(([name, t]) => {
    const slot = { name, shape: t.shape.slice(), offset, size: t.size };
    offset += t.size;
    return slot;
  });
}

/** Total floats a layout spans. */
export function layoutSize(layout: Slot[]): number {
  return layout.reduce((n, s) => n + s.size, 0);
}

/** Write named tensors into a flat Float32Array at their slots. */
export function writeNamed(named: NamedTensors, layout: Slot[], into: Float32Array): void {
  for (const s of layout) {
    const t = named[s.name];
    if (!t) throw new Error(`no tensor named "${s.name}" to write; the layout was made from different parameters`);
    into.set(t.dataSync() as Float32Array, s.offset);
  }
}

/** Read named tensors (each with its slot's shape) out of a flat Float32Array. */
export function readNamed(layout: Slot[], from: Float32Array): NamedTensors {
  const out: NamedTensors = {};
  for (const s of layout) out[s.name] = tf.tensor(from.slice(s.offset, s.offset + s.size), s.shape, 'float32');
  return out;
}

/** Assign each variable of `target` named in `layout` the values at its slot of `from` (readNamed, into variables). */
export function assignNamed(target: Record<string, tf.Variable>, layout: Slot[], from: Float32Array): void {
  for (const s of layout)
    tf.tidy(() => target[s.name].assign(tf.tensor(from.slice(s.offset, s.offset + s.size), s.shape, 'float32')));
}

/** Rows of each of `parts` shards of a batch of `rows`: near-equal, in order (12 in 2 → 6, 6; 7 in 3 → 2, 2, 3). */
export function shardRows(rows: number, parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1 || parts > rows)
    throw new Error(`cannot split a batch of ${rows} examples into ${parts} shards; use between 1 and ${rows} shards`);
  return Array.from({ length: parts }, (_, i) => Math.floor(((i + 1) * rows) / parts) - Math.floor((i * rows) / parts));
}

/** Split every tensor of a batch along axis 0 into `parts` pieces of near-equal size (B → B/parts each). */
export function splitBatch(batch: NamedTensors, parts: number): { shards: NamedTensors[]; sizes: number[] } {
  const entries = Object.entries(batch);
  if (entries.length === 0) throw new Error('the batch has no tensors to split');
  const B = entries[0][1].shape[0];
  for (const [name, t] of entries) {
    if (t.shape[0] !== B)
      throw new Error(
        `batch tensor "${name}" has ${t.shape[0]} rows but "${entries[0][0]}" has ${B}; every batch tensor must share axis 0`,
      );
  }
  const sizes = shardRows(B, parts);
  const shards: NamedTensors[] = sizes.map(() => ({}));
  for (const [name, t] of entries) {
    const pieces = tf.split(t, sizes, 0);
    pieces.forEach((p, i) => (shards[i][name] = p));
  }
  return { shards, sizes };
}

/** Bytes of tensor payload in a message: the byte length of every TensorData found in it (nested objects too). */
export function payloadBytes(message: unknown): number {
  if (!message || typeof message !== 'object') return 0;
  const m = message as Record<string, unknown>;
  if (ArrayBuffer.isView(m.data) && Array.isArray(m.shape)) return m.data.byteLength;
  return Object.values(m).reduce<number>((n, v) => n + payloadBytes(v), 0);
}
