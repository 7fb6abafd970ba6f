// The shared-memory clone on wasm: a clone reads the same values, outlives its source, frees its memory
// with the last reference, and gradients (whose saved tensors are clones) agree with the stock copying kernel.
import { describe, expect, it } from 'vitest';
import { installWasmIdentity, uninstallWasmIdentity, wasmIdentityInstalled } from '@how-llms-work/accel';
import { tf } from '@how-llms-work/lib';
import { onWasmForThisFile, randomValues } from './on-backends';

onWasmForThisFile();

describe('shared-memory clone on wasm', () => {
  it('is installed on wasm by default', () => {
    expect(wasmIdentityInstalled()).toBe(true);
  });

  it('a clone keeps its values after the source is disposed, and the memory goes with the last reference', async () => {
    const buffersBefore = tf.memory().numDataBuffers;
    const x = tf.tensor(randomValues([24], 1), [4, 6]);
    const want = Array.from(await x.data());
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers - buffersBefore).toBe(1); // one buffer for both
    x.dispose();
    expect(y.isDisposed).toBe(false);
    expect(Array.from(await y.data())).toEqual(want);
    expect(y.shape).toEqual([4, 6]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffersBefore);
  });

  it('clones int32 and bool tensors too, and string tensors through the stock kernel', async () => {
    const i = tf.tensor1d([3, -1, 7], 'int32');
    const b = tf.tensor1d([1, 0, 1], 'bool');
    const s = tf.tensor1d(['a', 'bc']);
    const [ci, cb, cs] = [tf.clone(i), tf.clone(b), tf.clone(s)];
    expect([ci.dtype, cb.dtype, cs.dtype]).toEqual(['int32', 'bool', 'string']);
    expect(Array.from(await ci.data())).toEqual([3, -1, 7]);
    expect(Array.from(await cb.data())).toEqual([1, 0, 1]);
    expect(await cs.data()).toEqual(['a', 'bc']);
    tf.dispose([i, b, s, ci, cb, cs]);
  });

  it('gradients through saved tensors agree with the stock copying kernel, with flat tensor counts', async () => {
    const x = tf.tensor(randomValues([30], 2), [5, 6]);
    const w = tf.tensor(randomValues([18], 3), [6, 3]);
    const lossGrads = () =>
      tf.tidy(() => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.tanh(tf.matMul(a, b)).square().exp().sum())([x, w]);
        return g;
      });
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) tf.dispose(lossGrads());
    expect(tf.memory().numTensors).toBe(before);
    const shared = await Promise.all(lossGrads().map((t) => t.data()));
    uninstallWasmIdentity();
    try {
      expect(wasmIdentityInstalled()).toBe(false);
      const copied = await Promise.all(lossGrads().map((t) => t.data()));
      for (let j = 0; j < 2; j++) expect(Array.from(shared[j])).toEqual(Array.from(copied[j]));
    } finally {
      installWasmIdentity();
      tf.dispose([x, w]);
    }
  });
});
