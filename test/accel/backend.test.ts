import { describe, expect, it } from 'vitest';
import { BACKEND_ENV, readSettings } from '@how-llms-work/accel';
import { ready, tf } from '@how-llms-work/lib';

describe('backend selection', () => {
  it('runs the backend the test project forces', async () => {
    const info = await ready();
    expect(info.name).toBe(process.env[BACKEND_ENV]);
    expect(tf.getBackend()).toBe(info.tfName);
    expect(info.summary).toContain(`TF.js backend: ${info.name}`);
  });

  it('names an unknown forced backend and the ones it knows', async () => {
    expect(() => readSettings({ [BACKEND_ENV]: 'tpu' })).toThrow(
      /HOW_LLMS_BACKEND=tpu is not a value it takes; use one of node-gpu, node, webgpu, wasm, cpu, or auto/,
    );
    expect(readSettings({ [BACKEND_ENV]: 'auto' }).backend).toBeUndefined();
  });
});

describe('kernels the course needs', () => {
  it('differentiates an embedding lookup (gather -> UnsortedSegmentSum)', () => {
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ids = tf.tensor1d([2, 0, 2], 'int32');
    const grad = tf.grad((t: tf.Tensor) =>
      tf
        .gather(t, ids)
        .mul(
          tf.tensor2d([
            [1, 1],
            [2, 2],
            [3, 3],
          ]),
        )
        .sum(),
    )(table);
    expect(grad.arraySync()).toEqual([
      [2, 2],
      [0, 0],
      [4, 4],
    ]);
  });
});
