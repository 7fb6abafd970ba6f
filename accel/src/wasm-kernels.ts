/**
 * Kernels the course needs that TF.js's wasm backend lacks, registered for `wasm` only.
 * Each is checked against the cpu backend in test/lib/backend.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo;
}

let registered = false;

/** Register the missing kernels once (idempotent). */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  // The gradient of `gather` (embedding lookups) needs UnsortedSegmentSum: (N, C) rows summed into (numSegments, C).
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const wasm = backend as unknown as WasmBackendLike;
        const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
        const { numSegments } = attrs as unknown as { numSegments: number };
        const values = wasm.readSync(x.dataId) as Float32Array;
        const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
        const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
        const width = values.length / Math.max(rows, 1);
        const out = new Float32Array(numSegments * width);
        for (let r = 0; r < rows; r++) {
          const seg = ids[r];
          if (seg < 0 || seg >= numSegments) continue;
          const src = r * width;
          const dst = seg * width;
          for (let c = 0; c < width; c++) out[dst + c] += values[src + c];
        }
        return wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype, undefined, out);
      },
    });
  }
}
