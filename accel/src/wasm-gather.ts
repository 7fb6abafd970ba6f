/**
 * Row lookups (`tf.gather(table, ids)` on axis 0: every embedding) as row copies on wasm.
 *
 * TF.js 4.22's wasm GatherV2 computes a strided index for every element: 4.5 ms to look up the baby
 * GPT's 768 token embeddings (98k floats). Copying each table row whole is the same result in a
 * small fraction of that. Gathers on other axes, with batch dimensions, or of non-float32 data keep
 * the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel, overriddenWasmKernels, restoreWasmKernels, stockWasmKernel } from './kernel-overrides';

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
}

const gatherKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
  const rowsAxis = x.shape.length > 0 && (axis === 0 || axis === -x.shape.length);
  if (!rowsAxis || (batchDims ?? 0) !== 0 || x.dtype !== 'float32' || indices.dtype !== 'int32') {
    return stockWasmKernel('GatherV2').kernelFunc({ inputs, backend, attrs });
  }
  const wasm = backend as unknown as WasmBackend;
  const rows = x.shape[0];
  const width = tf.util.sizeFromShape(x.shape.slice(1));
  const out = wasm.makeOutput([...indices.shape, ...x.shape.slice(1)], 'float32'); // (…ids, …row)
  // Views after the allocation: growing the heap detaches older ones.
  const table = wasm.typedArrayFromHeap(x) as Float32Array;
  const ids = wasm.typedArrayFromHeap(indices) as Int32Array;
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(id >= 0 && id < rows)) {
      throw new Error(
        `gather: index ${id} at position ${i} is outside the table's ${rows} rows [0, ${rows - 1}]; check the token ids against the vocabulary size`,
      );
    }
    dst.set(table.subarray(id * width, (id + 1) * width), i * width);
  }
  return out;
};

/** Replace wasm's GatherV2 with row copies for axis-0 lookups (idempotent; after wasm has initialised). */
export function installWasmGather(): void {
  overrideWasmKernel('GatherV2', gatherKernel);
}

/** Put the stock wasm GatherV2 back. */
export function uninstallWasmGather(): void {
  restoreWasmKernels(['GatherV2']);
}

/** Whether the row-copy gather is installed on wasm. */
export function wasmGatherInstalled(): boolean {
  return overriddenWasmKernels().includes('GatherV2');
}
