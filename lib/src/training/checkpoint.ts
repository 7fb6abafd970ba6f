/**
 * Checkpoints: one file holding the model config, the parameters, the optimizer's state, the step,
 * and whatever the run needs to decode text again (tokenizer / vocabulary metadata).
 * Layout: "HLLMCKPT" · u32 header length · JSON header · raw little-endian tensor bytes.
 * Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../model/params';
import type { AdamWState } from './adamw';

const MAGIC = 'HLLMCKPT';
const FORMAT = 1;

/** What a checkpoint holds. `config` and `meta` are any JSON (model config; tokenizer vocabulary, notes). */
export interface Checkpoint<Config = unknown, Meta = unknown> {
  config: Config;
  params: Params;
  step: number;
  optimizer?: AdamWState;
  meta?: Meta;
}

interface TensorEntry {
  group: 'param' | 'adamw.m' | 'adamw.v';
  name: string;
  shape: number[];
  dtype: tf.DataType;
  offset: number;
  bytes: number;
}

interface Header {
  format: number;
  step: number;
  config: unknown;
  meta: unknown;
  optimizer?: Omit<AdamWState, 'm' | 'v'>;
  tensors: TensorEntry[];
}

/** Save a checkpoint to `file` atomically (temp file, then rename); creates the folder. */
export async function saveCheckpoint(file: string, ckpt: Checkpoint): Promise<void> {
  const tensors: { group: TensorEntry['group']; name: string; t: tf.Tensor }[] = [];
  for (const [name, t] of Object.entries(ckpt.params)) tensors.push({ group: 'param', name, t });
  if (ckpt.optimizer) {
    for (const [name, t] of Object.entries(ckpt.optimizer.m)) tensors.push({ group: 'adamw.m', name, t });
    for (const [name, t] of Object.entries(ckpt.optimizer.v)) tensors.push({ group: 'adamw.v', name, t });
  }
  const entries: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const { group, name, t } of tensors) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new Error(`checkpoint supports float32 and int32 tensors; "${name}" is ${t.dtype}`);
    const values = (await t.data()) as Float32Array | Int32Array;
    const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ group, name, shape: t.shape, dtype: t.dtype, offset, bytes: buf.byteLength });
    chunks.push(buf);
    offset += buf.byteLength;
  }
  let optimizer: Header['optimizer'];
  if (ckpt.optimizer) {
    const { m: _m, v: _v, ...rest } = ckpt.optimizer;
    optimizer = rest;
  }
  const header: Header = {
    format: FORMAT,
    step: ckpt.step,
    config: ckpt.config,
    meta: ckpt.meta ?? null,
    optimizer,
    tensors: entries,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.byteLength);
  // Pad so the tensor data starts on a 4-byte boundary and can be viewed as Float32Array without copying.
  const pad = Buffer.alloc((4 - ((MAGIC.length + 4 + json.byteLength) % 4)) % 4, 0x20);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC, 'ascii'), len, json, pad, ...chunks]));
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Load a checkpoint: new tf.Variables for params (and AdamW moments if saved), bit-identical to what was saved. */
export function loadCheckpoint<Config = unknown, Meta = unknown>(file: string): Checkpoint<Config, Meta> {
  if (!fs.existsSync(file))
    throw new Error(`no checkpoint at ${file}: train one first (see chapter 7) or check the path`);
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, MAGIC.length).toString('ascii') !== MAGIC)
    throw new Error(`${file} is not a how-llms-work checkpoint (bad magic bytes)`);
  const jsonLen = bytes.readUInt32LE(MAGIC.length);
  const jsonStart = MAGIC.length + 4;
  const header = JSON.parse(bytes.subarray(jsonStart, jsonStart + jsonLen).toString('utf8')) as Header;
  if (header.format !== FORMAT)
    throw new Error(`${file} has checkpoint format ${header.format}; this library reads format ${FORMAT}`);
  const dataStart = jsonStart + jsonLen + ((4 - ((jsonStart + jsonLen) % 4)) % 4);
  // Copy into a fresh aligned buffer: Buffers from readFileSync may share an unaligned pool.
  const data = new Uint8Array(bytes.subarray(dataStart)).buffer;
  const params: Params = {};
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  const stamp = `${Date.now()}.${++loads}`;
  for (const e of header.tensors) {
    if (e.offset + e.bytes > data.byteLength)
      throw new Error(`${file} is truncated: tensor "${e.name}" runs past the end; save it again`);
    const values =
      e.dtype === 'int32' ? new Int32Array(data, e.offset, e.bytes / 4) : new Float32Array(data, e.offset, e.bytes / 4);
    const t = tf.tensor(values, e.shape, e.dtype);
    const trainable = e.group === 'param';
    // TF.js variable names are global: suffix them so a loaded copy can live beside the original.
    const variable = tf.variable(t, trainable, `${e.group}.${e.name}.ckpt${stamp}`);
    t.dispose();
    (e.group === 'param' ? params : e.group === 'adamw.m' ? m : v)[e.name] = variable;
  }
  const optimizer = header.optimizer ? { ...header.optimizer, m, v } : undefined;
  return {
    config: header.config as Config,
    params,
    step: header.step,
    optimizer,
    meta: (header.meta ?? undefined) as Meta,
  };
}

let loads = 0;
