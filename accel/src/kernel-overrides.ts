/**
 * Replace a TF.js wasm kernel with our own and put the stock one back on demand.
 * The stock config is kept so that our kernel can fall back to it for cases it does not speed up,
 * and so that the benchmark and tests can measure stock TF.js in the same process.
 */
import * as tf from '@tensorflow/tfjs-core';

const stock = new Map<string, tf.KernelConfig>();

/** Register `kernelFunc` as wasm's `name`, keeping the stock kernel (idempotent). Call after wasm has initialised. */
export function overrideWasmKernel(name: string, kernelFunc: tf.KernelFunc): void {
  if (stock.has(name)) return;
  const config = tf.getKernel(name, 'wasm');
  if (!config)
    throw new Error(`wasm ${name} kernel is not registered: load @tensorflow/tfjs-backend-wasm before overriding it`);
  stock.set(name, config);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
}

/** The stock wasm kernel that `name` replaced. */
export function stockWasmKernel(name: string): tf.KernelConfig {
  const config = stock.get(name);
  if (!config) throw new Error(`wasm ${name} is not overridden, so there is no stock kernel kept for it`);
  return config;
}

/** Put the stock kernels back for `names` (default: every overridden kernel). */
export function restoreWasmKernels(names: string[] = [...stock.keys()]): void {
  for (const name of names) {
    const config = stock.get(name);
    if (!config) continue;
    tf.unregisterKernel(name, 'wasm');
    // Its setup ran when wasm initialised, so the stock kernel works again as registered.
    tf.registerKernel(config);
    stock.delete(name);
  }
}

/** Names of the wasm kernels replaced now. */
export function overriddenWasmKernels(): string[] {
  return [...stock.keys()];
}
