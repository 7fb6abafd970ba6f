// The product Pow on wasm must agree with the cpu backend, values and gradients, for every exponent.
import { describe, expect, it } from 'vitest';
import { installWasmPow, uninstallWasmPow, wasmPowInstalled } from '@how-llms-work/accel';
import { tf } from '@how-llms-work/lib';
import { on, onWasmForThisFile, randomValues } from './on-backends';

function values(n: number, seed: number): Float32Array {
  return randomValues([n], seed).map((v) => 3 * v); // negatives included: x³ keeps the sign
}

function powAndGradient(exponent: number): () => tf.Tensor[] {
  return () => {
    const x = tf.tensor(values(24, 1), [2, 3, 4]);
    const w = tf.tensor(values(24, 2), [2, 3, 4]);
    const y = x.pow(exponent);
    const dx = tf.grad((t: tf.Tensor) => t.pow(exponent).mul(w).sum())(x);
    return [y, dx];
  };
}

onWasmForThisFile();

describe('product Pow on wasm', () => {
  it('is installed on wasm by default', () => {
    expect(wasmPowInstalled()).toBe(true);
  });

  // 0.5 and -1 are not small integers: they take the stock kernel and must agree all the same.
  for (const exponent of [1, 2, 3, 4, 0.5, -1]) {
    it(`x^${exponent} and its gradient agree with cpu`, async () => {
      const [gotY, gotDx] = await on('wasm', powAndGradient(exponent));
      const [wantY, wantDx] = await on('cpu', powAndGradient(exponent));
      for (const [got, want] of [
        [gotY, wantY],
        [gotDx, wantDx],
      ]) {
        for (let i = 0; i < want.length; i++) {
          if (Number.isNaN(want[i]))
            expect(got[i]).toBeNaN(); // x^0.5 of a negative x
          else expect(got[i]).toBeCloseTo(want[i], Math.abs(want[i]) > 100 ? 1 : 4);
        }
      }
    });
  }

  it("computes x³ exactly as x·x·x (GELU's cube)", async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([-2, -0.5, 0, 1.5, 3]);
    const y = x.pow(3);
    expect(Array.from(await y.data())).toEqual([-8, -0.125, 0, 3.375, 27]);
    tf.dispose([x, y]);
  });

  it('keeps tensors flat and uninstalls to the stock kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(values(1000, 3), [10, 100]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.tidy(() => tf.grad((t: tf.Tensor) => t.pow(3).sum())(x)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const fastY = x.pow(3);
    const fast = await fastY.data();
    fastY.dispose();
    uninstallWasmPow();
    try {
      expect(wasmPowInstalled()).toBe(false);
      const stockY = x.pow(3);
      const stock = await stockY.data();
      stockY.dispose();
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(stock[i], 3);
    } finally {
      installWasmPow();
    }
    x.dispose();
  });
});
