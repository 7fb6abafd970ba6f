// Reads the PyTorch reference fixtures written by scripts/torch/make_fixtures.py.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf, type GPTConfig, type Params } from '@how-llms-work/lib';

export interface Packed {
  shape: number[];
  b64: string;
}

export interface GPTFixture {
  config: Required<GPTConfig>;
  names: string[];
  weights: Record<string, Packed>;
  ids: number[][];
  targets: number[][];
  logits: Packed;
  loss: number;
  grads: Record<string, Packed>;
}

const dir = path.resolve(__dirname, '../../fixtures/torch');

export function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as T;
}

export function unpackValues(p: Packed): Float32Array {
  const bytes = Buffer.from(p.b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function unpack(p: Packed): tf.Tensor {
  return tf.tensor(unpackValues(p), p.shape, 'float32');
}

/** Copy the fixture's weights into params, checking that the names and shapes match exactly. */
export function loadWeights(params: Params, fixture: GPTFixture): void {
  for (const name of fixture.names) {
    const value = unpack(fixture.weights[name]);
    params[name].assign(value);
    value.dispose();
  }
}

/** Largest |a − b| divided by the largest |b| (at least 1e-3): a relative error robust to near-zero entries. */
export function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0] / Math.max(1e-3, tf.abs(b).max().dataSync()[0]));
}
