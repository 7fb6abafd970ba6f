// The fast-path wasm matrix product must agree with the cpu backend (the reference) on values and gradients,
// for every transpose and batch layout, and must leave no tensors or wasm memory behind.
import { describe, expect, it } from 'vitest';
import { installWasmMatMul, uninstallWasmMatMul, wasmMatMulInstalled } from '@how-llms-work/accel';
import { tf } from '@how-llms-work/lib';
import { expectCloseToLargest, on, onWasmForThisFile, randomValues } from './on-backends';

const TOLERANCE = 1e-4; // relative to the largest magnitude in the reference

function expectClose(got: Float32Array[], want: Float32Array[]): void {
  expectCloseToLargest(got, want, TOLERANCE);
}

// TF.js's own matMul gradient rejects broadcast batches (on every backend), so those cases compare values only.
type Case = [name: string, a: number[], b: number[], transposeA: boolean, transposeB: boolean, gradients?: false];
const CASES: Case[] = [
  ['plain', [5, 7], [7, 3], false, false],
  ['transposed a', [7, 5], [7, 3], true, false],
  ['transposed b (linear layers)', [5, 7], [3, 7], false, true],
  ['both transposed', [7, 5], [3, 7], true, true],
  ['batched', [4, 5, 7], [4, 7, 3], false, false],
  ['batched, transposed b (attention scores)', [2, 3, 6, 8], [2, 3, 6, 8], false, true],
  ['batched, transposed a', [4, 7, 5], [4, 7, 3], true, false],
  ['batch of a, one b', [2, 3, 5, 7], [7, 3], false, false, false],
  ['one a, batch of b', [5, 7], [4, 7, 3], false, false, false],
  ['one query per head (cached generation)', [2, 3, 1, 8], [2, 3, 10, 8], false, true],
  ['two-sided broadcast (stock fallback)', [2, 1, 5, 7], [1, 3, 7, 4], false, false, false],
  ['larger than a 48-wide block', [70, 130], [50, 130], false, true],
];

function product([, aShape, bShape, tA, tB, gradients]: Case): () => tf.Tensor[] {
  return () => {
    const a = tf.tensor(randomValues(aShape, 1), aShape);
    const b = tf.tensor(randomValues(bShape, 2), bShape);
    const y = tf.matMul(a, b, tA, tB);
    if (gradients === false) return [y];
    // A random upstream gradient, so every output element's gradient path counts.
    const w = tf.tensor(randomValues(y.shape, 3), y.shape);
    const [da, db] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.matMul(x, z, tA, tB).mul(w).sum())([a, b]);
    return [y, da, db];
  };
}

onWasmForThisFile();

describe('fast wasm matMul agrees with cpu', () => {
  it('is installed on wasm by default', () => {
    expect(wasmMatMulInstalled()).toBe(true);
  });

  for (const c of CASES) {
    const what = c[5] === false ? 'values' : 'values and both gradients';
    it(`${c[0]}: a ${JSON.stringify(c[1])}, b ${JSON.stringify(c[2])}, ${what}`, async () => {
      expectClose(await on('wasm', product(c)), await on('cpu', product(c)));
    });
  }

  it('fused matMul with bias and relu, values and gradients of a, b and bias', async () => {
    const f = () => {
      const a = tf.tensor(randomValues([12, 9], 4), [12, 9]);
      const b = tf.tensor(randomValues([5, 9], 5), [5, 9]);
      const bias = tf.tensor(randomValues([5], 6), [5]);
      const fusedRelu = (x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: z as tf.Tensor2D, transposeB: true, bias: c, activation: 'relu' }); // (12, 5)
      const y = fusedRelu(a, b, bias);
      const loss = (x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) => fusedRelu(x, z, c).square().sum();
      return [y, ...tf.grads(loss)([a, b, bias])];
    };
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it('fused matMul with an activation XNNPACK cannot fuse (elu) falls back to stock and agrees', async () => {
    const f = () => {
      const a = tf.tensor(randomValues([6, 9], 7), [6, 9]);
      const b = tf.tensor(randomValues([9, 4], 8), [9, 4]);
      return [tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, activation: 'elu' })];
    };
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it('names both shapes when inner sizes differ', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5])))).toThrow(/inner|3.*4/);
  });
});

describe('fast wasm matMul housekeeping', () => {
  it('keeps tensors, data ids and the wasm heap flat over repeated training-like steps', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(randomValues([128, 64], 9), [128, 64]);
    const w = tf.tensor(randomValues([96, 64], 10), [96, 64]);
    const step = () =>
      tf.tidy(() => {
        const [da, dw] = tf.grads((x: tf.Tensor, z: tf.Tensor) => {
          const h = tf.matMul(x, z, false, true).reshape([4, 32, 96]); // (B, T, C)
          return tf.matMul(h, h, false, true).sum(); // (B, T, T), batched with fresh right operands
        })([a, w]);
        return da.sum().add(dw.sum());
      });
    const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
    for (let i = 0; i < 5; i++) step().dispose();
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();
    const heap = backend.wasm.HEAPU8.length;
    for (let i = 0; i < 40; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(ids);
    expect(backend.wasm.HEAPU8.length).toBe(heap);
    tf.dispose([a, w]);
  });

  it('frees the XNNPACK operator of every batch slice (the wasm heap stays flat)', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(randomValues([8, 64, 64], 11), [8, 64, 64]);
    const b = tf.tensor(randomValues([8, 64, 256], 12), [8, 64, 256]);
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    for (let i = 0; i < 5; i++) tf.matMul(a, b).dispose();
    const heap = backend.wasm.HEAPU8.length;
    // Each call packs 8 right-operand slices of 64 KB; leaked, 100 calls would hold about 50 MB.
    for (let i = 0; i < 100; i++) tf.matMul(a, b).dispose();
    expect(backend.wasm.HEAPU8.length - heap).toBeLessThan(8 << 20);
    tf.dispose([a, b]);
  });

  it('keeps a transposed copy of weights only as long as the weights, and never a stale one', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.tensor(randomValues([5, 6], 13), [5, 6]);
    const ids = backend.numDataIds();
    const x4 = tf.tensor(randomValues([5, 4], 17), [5, 4]);
    const product = async (xs: tf.Tensor, w: tf.Tensor, onCpu = false) => {
      if (onCpu) await tf.setBackend('cpu');
      const [xb, wb] = onCpu ? [tf.tensor(await xs.data(), xs.shape), tf.tensor(await w.data(), w.shape)] : [xs, w];
      const y = tf.matMul(xb, wb, false, true); // x (5, in) @ w (out, in)ᵀ, as every linear layer
      const values = (await y.data()) as Float32Array;
      tf.dispose(onCpu ? [xb, wb, y] : [y]);
      await tf.setBackend('wasm');
      return values;
    };
    for (const seed of [14, 15, 16]) {
      // Each new weight may land where the last one was freed: its transpose must be its own.
      const w = tf.tensor(randomValues([4, 6], seed), [4, 6]);
      const first = await product(x, w);
      expect(Array.from(await product(x, w))).toEqual(Array.from(first)); // second use: the cached transpose
      expectClose([first], [await product(x, w, true)]);
      // The same memory seen as another shape (a reshape shares it) needs a transpose of that shape.
      const view = w.reshape([6, 4]);
      expectClose([await product(x4, view)], [await product(x4, view, true)]);
      expectClose([await product(x, w)], [first]);
      tf.dispose([w, view]);
    }
    x4.dispose();
    expect(backend.numDataIds()).toBe(ids);
    x.dispose();
  });

  it('uninstalls to the stock kernels and reinstalls, with the same results', async () => {
    const c = CASES[5];
    const fast = await on('wasm', product(c));
    const patched = tf.getKernel('BatchMatMul', 'wasm');
    uninstallWasmMatMul();
    try {
      expect(wasmMatMulInstalled()).toBe(false);
      expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(patched);
      expectClose(await on('wasm', product(c)), fast);
    } finally {
      installWasmMatMul();
    }
    expect(wasmMatMulInstalled()).toBe(true);
  });
});
