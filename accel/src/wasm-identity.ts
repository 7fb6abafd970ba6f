/**
 * `tf.clone` (the Identity kernel) on wasm shares its input's memory instead of copying it.
 *
 * While a gradient tape records, TF.js clones every tensor a kernel saves for its backward pass
 * (`saveTensorsForBackwardMode`): about 160 clones of activations in one baby-GPT step. TF.js 4.22's
 * wasm Identity copies each one, about 8 % of the step; its cpu and WebGL kernels share the data and
 * count one more reference, as wasm's own Reshape does. Tensors are immutable, so a shared copy is
 * the same result. (The one kernel family that writes into an input, the KV cache's, writes into
 * buffers that only the cache holds: kernels/attention.ts.) String tensors keep the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel, overriddenWasmKernels, restoreWasmKernels, stockWasmKernel } from './kernel-overrides';

interface WasmBackend {
  incRef(dataId: object): void;
}

const identityKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return stockWasmKernel('Identity').kernelFunc({ inputs, backend, attrs });
  (backend as unknown as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
};

/** Replace wasm's Identity with a shared-memory clone (idempotent; after wasm has initialised). */
export function installWasmIdentity(): void {
  overrideWasmKernel('Identity', identityKernel);
}

/** Put the stock (copying) wasm Identity back. */
export function uninstallWasmIdentity(): void {
  restoreWasmKernels(['Identity']);
}

/** Whether the shared-memory clone is installed on wasm. */
export function wasmIdentityInstalled(): boolean {
  return overriddenWasmKernels().includes('Identity');
}
