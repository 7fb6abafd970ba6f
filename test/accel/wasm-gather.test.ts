// The row-copy gather on wasm (axis-0 lookups) must agree with the cpu backend, values and gradients.
import { describe, expect, it } from 'vitest';
import { installWasmGather, uninstallWasmGather, wasmGatherInstalled } from '@how-llms-work/accel';
import { Rng, tf } from '@how-llms-work/lib';
import { expectWasmMatchesCpu, onWasmForThisFile, randomValues } from './on-backends';

onWasmForThisFile();

describe('row-copy gather on wasm', () => {
  it('is installed on wasm by default', () => {
    expect(wasmGatherInstalled()).toBe(true);
  });

  const cases: [number[], number[], number][] = [
    [[11, 6], [3, 4], 0], // an embedding lookup: (vocab, C) by (B, T) ids
    [[7, 2, 3], [5], 0], // rows that are matrices
    [[9], [4, 2], 0], // a table of scalars
    [[5, 6], [4], 1], // axis 1: the stock kernel
  ];
  for (const [shape, idShape, axis] of cases) {
    it(`gather of ${JSON.stringify(shape)} by ids ${JSON.stringify(idShape)} on axis ${axis} and its gradient agree with cpu`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const m = idShape.reduce((a, b) => a * b, 1);
      const rng = new Rng(4);
      const ids = Int32Array.from({ length: m }, () => rng.int(shape[axis]));
      const f = () => {
        const x = tf.tensor(randomValues([n], 1), shape);
        const idx = tf.tensor(ids, idShape, 'int32');
        const y = tf.gather(x, idx, axis);
        const w = tf.tensor(randomValues([y.size], 2), y.shape);
        return [y, tf.grad((t: tf.Tensor) => tf.gather(t, idx, axis).mul(w).sum())(x)];
      };
      await expectWasmMatchesCpu(f, 5);
    });
  }

  it('names an index outside the table', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([4, 3]);
    const ids = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, ids)).toThrow(/index 4 at position 1 is outside the table's 4 rows \[0, 3\]/);
    tf.dispose([x, ids]);
  });

  it('keeps tensors flat and uninstalls to the stock kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(randomValues([40], 3), [10, 4]);
    const ids = tf.tensor2d([[9, 0, 3]], [1, 3], 'int32');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.tidy(() => tf.gather(x, ids).add(1)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const fast = await tf.tidy(() => tf.gather(x, ids)).data();
    uninstallWasmGather();
    try {
      expect(wasmGatherInstalled()).toBe(false);
      const stock = await tf.tidy(() => tf.gather(x, ids)).data();
      expect(Array.from(fast)).toEqual(Array.from(stock));
    } finally {
      installWasmGather();
      tf.dispose([x, ids]);
    }
  });
});
