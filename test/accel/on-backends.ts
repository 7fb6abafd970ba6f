// Shared by the tests that hold a wasm kernel to the cpu backend: seeded inputs, a run on one backend, a comparison.
import { afterAll, beforeAll, expect } from 'vitest';
import { BACKEND_ENV } from '@how-llms-work/accel';
import { Rng, tf, useBackend } from '@how-llms-work/lib';
import type { BackendName } from '@how-llms-work/lib';

/** Run this file's tests on wasm (a wasm patch's tests), and give the backend its project names back afterwards. */
export function onWasmForThisFile(): void {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterAll(async () => {
    await useBackend(process.env[BACKEND_ENV] as BackendName);
  });
}

/** Standard normal values for a tensor of `shape`, seeded. */
export function randomValues(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return values;
}

/** Run f on one backend with fresh inputs there; return every output as plain numbers. */
export async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return values;
}

/** f's outputs on wasm equal cpu's to `digits` decimals (toBeCloseTo); wasm is the backend again afterwards. */
export async function expectWasmMatchesCpu(f: () => tf.Tensor[], digits: number): Promise<void> {
  const got = await on('wasm', f);
  const want = await on('cpu', f);
  await tf.setBackend('wasm');
  expect(got.length).toBe(want.length);
  for (let j = 0; j < want.length; j++) {
    expect(got[j].length).toBe(want[j].length);
    for (let i = 0; i < want[j].length; i++) expect(got[j][i]).toBeCloseTo(want[j][i], digits);
  }
}

/** Every output within `tolerance` of the reference, relative to the reference's largest magnitude. */
export function expectCloseToLargest(got: Float32Array[], want: Float32Array[], tolerance: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(got[i].length).toBe(want[i].length);
    let scale = 1e-6;
    for (const v of want[i]) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let j = 0; j < want[i].length; j++) worst = Math.max(worst, Math.abs(got[i][j] - want[i][j]));
    expect(worst / scale).toBeLessThan(tolerance);
  }
}
