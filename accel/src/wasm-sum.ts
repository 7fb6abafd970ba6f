/**
 * A sum over leading axes as a matrix product on wasm.
 *
 * Every bias's gradient is a sum over the rows of (B·T, out): `Sum` along axis 0. TF.js 4.22's wasm
 * Sum reduces only innermost axes, so it first transposes the whole tensor, then reduces one
 * row at a time: 26 ms for one (4096, 1536) gradient of the wide GPT, 7% of its step. The same sum
 * is ones(1, R) @ x(R, N), which the fast matrix product (XNNPACK, or OpenBLAS where built) does in
 * one pass. Any other reduction keeps the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel, overriddenWasmKernels, restoreWasmKernels, stockWasmKernel } from './kernel-overrides';

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

// One row of R ones per length R, kept for the backend's life (a model has a handful of row counts).
const onesByBackend = new WeakMap<WasmBackend, Map<number, tf.TensorInfo>>();

function ones(R: number, backend: WasmBackend): tf.TensorInfo {
  let onesByLength = onesByBackend.get(backend);
  if (!onesByLength) {
    onesByLength = new Map();
    onesByBackend.set(backend, onesByLength);
  }
  let row = onesByLength.get(R);
  if (!row) {
    row = backend.makeOutput([1, 1, R], 'float32');
    backend.typedArrayFromHeap(row).fill(1);
    onesByLength.set(R, row);
  }
  return row;
}

/** How many leading axes `axis` names, when it names exactly axes 0 … k−1 with 0 < k < rank; else 0. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util
    .parseAxisParam(
      axis,
      [...Array(rank).keys()].map(() => 1),
    )
    .sort((a, b) => a - b);
  const k = axes.length;
  return k > 0 && k < rank && axes.every((a, i) => a === i) ? k : 0;
}

const sumKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0;
  const R = tf.util.sizeFromShape(x.shape.slice(0, k));
  const N = tf.util.sizeFromShape(x.shape.slice(k));
  if (k === 0 || R < 2 || N === 0) return stockWasmKernel('Sum').kernelFunc({ inputs, backend, attrs });
  const wasm = backend as unknown as WasmBackend;
  const product = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const rows = { dataId: x.dataId, shape: [1, R, N], dtype: x.dtype }; // x seen as (1, R, N): same memory
  const out = product({
    inputs: { a: ones(R, wasm), b: rows },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo; // (1, 1, N)
  const rest = x.shape.slice(k);
  return {
    dataId: out.dataId,
    shape: keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest,
    dtype: 'float32',
  };
};

/** Replace wasm's Sum with the product for leading-axis sums (idempotent; after wasm has initialised). */
export function installWasmSum(): void {
  overrideWasmKernel('Sum', sumKernel);
}

/** Put the stock wasm Sum back and free the rows of ones. */
export function uninstallWasmSum(): void {
  restoreWasmKernels(['Sum']);
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  const rows = backend && onesByBackend.get(backend);
  if (!backend || !rows) return;
  for (const row of rows.values()) backend.disposeData(row.dataId, true);
  onesByBackend.delete(backend);
}

/** Whether the product Sum is installed on wasm. */
export function wasmSumInstalled(): boolean {
  return overriddenWasmKernels().includes('Sum');
}
