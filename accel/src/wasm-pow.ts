/**
 * `x.pow(2)` and `x.pow(3)` as products on wasm.
 *
 * TF.js 4.22's wasm Pow calls the C library's pow for every element, about as slow as ten
 * multiplications, and GPT-2's GELU (x + 0.044715x³) and its gradient (3x²) call it on every
 * MLP activation: 14% of the baby GPT's training step. A small integer exponent is exactly a
 * few products, so this kernel multiplies instead; any other exponent keeps the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel, overriddenWasmKernels, restoreWasmKernels, stockWasmKernel } from './kernel-overrides';

interface WasmBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The exponent when b is one float32 value in {1, 2, 3, 4}; else undefined. */
function smallIntegerExponent(b: tf.TensorInfo, backend: WasmBackend): number | undefined {
  if (b.dtype !== 'float32' || tf.util.sizeFromShape(b.shape) !== 1) return undefined;
  const e = (backend.readSync(b.dataId) as Float32Array)[0];
  return e === 1 || e === 2 || e === 3 || e === 4 ? e : undefined;
}

const powKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const wasm = backend as unknown as WasmBackend;
  // Only when the output has a's shape: a scalar exponent broadcasting over a float32 tensor.
  const e = a.dtype === 'float32' && b.shape.length <= a.shape.length ? smallIntegerExponent(b, wasm) : undefined;
  if (e === undefined) return stockWasmKernel('Pow').kernelFunc({ inputs, backend, attrs });
  const multiply = tf.getKernel('Multiply', 'wasm')!.kernelFunc;
  const mul = (x: tf.TensorInfo, y: tf.TensorInfo) =>
    multiply({ inputs: { a: x, b: y }, backend, attrs: {} }) as tf.TensorInfo;
  if (e === 1) return tf.getKernel('Identity', 'wasm')!.kernelFunc({ inputs: { x: a }, backend, attrs: {} });
  const square = mul(a, a); // x²
  if (e === 2) return square;
  const out = e === 3 ? mul(square, a) : mul(square, square); // x³ or x⁴
  wasm.disposeData(square.dataId);
  return out;
};

/** Replace wasm's Pow with the product kernel for exponents 1 to 4 (idempotent; after wasm has initialised). */
export function installWasmPow(): void {
  overrideWasmKernel('Pow', powKernel);
}

/** Put the stock wasm Pow back. */
export function uninstallWasmPow(): void {
  restoreWasmKernels(['Pow']);
}

/** Whether the product Pow is installed on wasm. */
export function wasmPowInstalled(): boolean {
  return overriddenWasmKernels().includes('Pow');
}
