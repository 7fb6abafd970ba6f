/**
 * The accelerator (`@how-llms-work/accel`): the one place that knows which TF.js backend runs, and every speed patch,
 * fused kernel and native product.
 *
 * The first `ready()` (the library's `L.ready()` calls it) tries the backends fastest first (CUDA through
 * tfjs-node-gpu, native CPU through tfjs-node, WebGPU through the npm `webgpu` package, WebAssembly, plain
 * JavaScript) and keeps the first that initialises; `HOW_LLMS_BACKEND` forces one. The library then registers
 * `fastOps` (ops.ts) with its `ops` interface. Importing either package chooses nothing by itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's CommonJS build registers neither the op gradients nor the chained tensor methods (`x.mul(y)`);
// the union package's CommonJS build registers both, into the same global registries tfjs-core uses.
import '@tensorflow/tfjs';
import { registerWasmKernels } from './wasm-kernels';
import { installWasmMatMul, wasmMatMulInstalled } from './wasm-matmul';
import { installWasmPow, wasmPowInstalled } from './wasm-pow';
import { installWasmSum, wasmSumInstalled } from './wasm-sum';
import { installWasmGather, wasmGatherInstalled } from './wasm-gather';
import { installWasmIdentity, wasmIdentityInstalled } from './wasm-identity';
import {
  nativeMatMulPatch,
  THREADS_ENV,
  installNativeMatMul,
  nativeMatMulInstalled,
  nativeMatMulStatus,
  openblasInfo,
  physicalCores,
  threadCountIsSet,
} from './native-matmul';
import { initWasmThreaded, wasmThreadCount, wasmThreadsInUse } from './wasm-threads';
import { speedPatchesEnabled } from './speed-patches';
import { fusedSwitchedOn, nativeKernelsStatus } from './fused';

export * from './speed-patches';
export { installWasmMatMul, uninstallWasmMatMul, wasmMatMulInstalled } from './wasm-matmul';
export { installWasmPow, uninstallWasmPow, wasmPowInstalled } from './wasm-pow';
export { installWasmSum, uninstallWasmSum, wasmSumInstalled } from './wasm-sum';
export { installWasmGather, uninstallWasmGather, wasmGatherInstalled } from './wasm-gather';
export { installWasmIdentity, uninstallWasmIdentity, wasmIdentityInstalled } from './wasm-identity';
export {
  THREADS_ENV,
  NATIVE_ADDON_PATH,
  NATIVE_MATMUL_ENV,
  BLAS_ENV,
  nativeMatMulPatch,
  defaultThreadCount,
  nativeThreadCount,
  physicalCores,
  threadCountIsSet,
  installNativeMatMul,
  nativeMatMulInstalled,
  nativeMatMulOffReason,
  nativeMatMulStatus,
  nativeProductCount,
  openblasInfo,
  setNativeThreads,
  uninstallNativeMatMul,
} from './native-matmul';
export { overriddenWasmKernels, restoreWasmKernels } from './kernel-overrides';
export { WASM_THREADS_ENV, wasmThreadCount, wasmThreadsInUse } from './wasm-threads';

import { BACKEND_PREFERENCE, BLAS_NAMES, SETTING_ENV, settings, type BackendName, type BlasName } from './settings';

export { BACKEND_PREFERENCE, BLAS_NAMES, type BackendName, type BlasName };
export {
  SETTING_ENV,
  changeSettings,
  readSettings,
  settings,
  settingsVersion,
  withSettings,
  type Settings,
} from './settings';

/** What `ready()` chose and why the faster ones were passed over. */
export interface BackendInfo {
  name: BackendName;
  /** The name TF.js itself uses (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  tfName: string;
  forced: boolean;
  skipped: { name: BackendName; reason: string }[];
  /** Speed patches active on this backend (`fast matmul`, `oneDNN matmul`, `2 wasm threads`); empty for stock TF.js. */
  patches: string[];
  /** On wasm with the speed patches on: why the native (BLAS) matmul does not run (undefined while it runs). */
  nativeMatMulOff?: string;
  /** One line for a human: which backend runs and why. */
  summary: string;
}

/** Environment variable that forces one backend. */
export const BACKEND_ENV = SETTING_ENV.backend;

type Loader = () => Promise<string>;

/**
 * Load tfjs-node(-gpu) only when its native binding exists: an install whose download
 * step failed leaves the JavaScript without the binding, and a half-load registers
 * kernels that a second attempt would register again.
 */
function requireNative(pkg: string): void {
  let root: string;
  try {
    root = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed`);
  }
  const libDir = path.join(root, 'lib');
  const hasBinding =
    fs.existsSync(libDir) &&
    fs.readdirSync(libDir).some((d) => fs.existsSync(path.join(libDir, d, 'tfjs_binding.node')));
  if (!hasBinding)
    throw new Error(
      `${pkg} is installed without its native binding (its install step could not download libtensorflow)`,
    );
  require(pkg);
}

/** Dawn prints a warning to stderr when it cannot find Vulkan; look first so that machines without a GPU stay quiet. */
function hasVulkanLoader(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
    '/usr/local/lib',
  ];
  const extra = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return [...extra, ...dirs].some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')));
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 160);
}

// Each loader registers its backend with TF.js and returns the TF.js name; it throws if unusable.
const loaders: Record<BackendName, Loader> = {
  'node-gpu': async () => {
    requireNative('@tensorflow/tfjs-node-gpu');
    return 'tensorflow';
  },
  node: async () => {
    requireNative('@tensorflow/tfjs-node');
    return 'tensorflow';
  },
  webgpu: async () => {
    if (!hasVulkanLoader()) throw new Error('no Vulkan loader (libvulkan.so.1) on this machine');
    let gpuModule: { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
    try {
      gpuModule = require('webgpu');
    } catch (err) {
      throw new Error(`the npm package "webgpu" is not installed (${firstLine(err)})`);
    }
    Object.assign(globalThis, gpuModule.globals);
    const navigatorLike = { gpu: gpuModule.create([]) } as { gpu: { requestAdapter(): Promise<unknown> } };
    const adapter = await navigatorLike.gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter found (no GPU, or no Vulkan driver)');
    if (typeof (globalThis as { navigator?: unknown }).navigator === 'undefined') {
      Object.defineProperty(globalThis, 'navigator', { value: navigatorLike, configurable: true });
    } else {
      Object.defineProperty((globalThis as { navigator: object }).navigator, 'gpu', {
        value: navigatorLike.gpu,
        configurable: true,
      });
    }
    require('@tensorflow/tfjs-backend-webgpu');
    return 'webgpu';
  },
  wasm: async () => {
    require('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels();
    return 'wasm';
  },
  cpu: async () => 'cpu',
};

/** The cpu backend greets Node users once with advice to install tfjs-node; the course says that itself, in one line. */
function quietCpuGreeting(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

/** Start wasm, threaded and with the fast matrix product unless the speed patches are off. */
async function setWasmBackend(): Promise<boolean> {
  if (!speedPatchesEnabled()) return tf.setBackend('wasm');
  const ok = await initWasmThreaded(wasmThreadCount(), () => tf.setBackend('wasm'));
  // After initialisation: TF.js runs each kernel's setup only then, and the stock kernels stay set up for uninstalling.
  if (ok) {
    installWasmMatMul();
    installNativeMatMul(); // the addon's BLAS inside the fast matmul where the addon is built; says why not otherwise
    installWasmPow();
    installWasmSum();
    installWasmGather();
    installWasmIdentity();
  }
  return ok;
}

/** The fused kernels' label where they run (wasm and cpu): in C from the native addon, or as JavaScript loops. */
function fusedLabel(tfName: string): string[] {
  if ((tfName !== 'wasm' && tfName !== 'cpu') || !fusedSwitchedOn()) return [];
  return [nativeKernelsStatus() === undefined ? 'fused kernels in C' : 'fused kernels in JS'];
}

/** The label `N native threads` while the addon computes anything (its products or fused kernels). */
export function nativeThreadsLabel(): string | undefined {
  const usesAddon = nativeMatMulInstalled() || (fusedSwitchedOn() && nativeKernelsStatus() === undefined);
  const threads = usesAddon ? openblasInfo()?.threads : undefined;
  return threads === undefined ? undefined : `${threads} native thread${threads === 1 ? '' : 's'}`;
}

function activePatches(tfName: string): string[] {
  if (tfName !== 'wasm') {
    const native = tfName === 'cpu' ? nativeThreadsLabel() : undefined;
    return [...fusedLabel(tfName), ...(native ? [native] : [])];
  }
  const patches = wasmMatMulInstalled() ? ['fast matmul'] : [];
  if (nativeMatMulInstalled()) patches.push(nativeMatMulPatch());
  if (wasmPowInstalled()) patches.push('product pow');
  if (wasmSumInstalled()) patches.push('product sum');
  if (wasmGatherInstalled()) patches.push('row gather');
  if (wasmIdentityInstalled()) patches.push('shared clone');
  patches.push(...fusedLabel(tfName));
  const native = nativeThreadsLabel();
  if (native) patches.push(native);
  const threads = wasmThreadsInUse();
  if (threads > 1) patches.push(`${threads} wasm threads`);
  return patches;
}

async function tryBackend(name: BackendName): Promise<string> {
  const tfName = await loaders[name]();
  const ok = tfName === 'wasm' ? await setWasmBackend() : await tf.setBackend(tfName);
  if (!ok) throw new Error(`TF.js could not initialise the ${tfName} backend`);
  await tf.ready();
  quietCpuGreeting();
  return tfName;
}

/** Why the native matmul is off, where it would speed up the fast wasm matmul. */
function nativeMatMulOff(tfName: string): string | undefined {
  return tfName === 'wasm' && wasmMatMulInstalled() ? nativeMatMulStatus() : undefined;
}

function describe(info: Omit<BackendInfo, 'summary'>): string {
  const patches = info.patches.length > 0 ? ` with ${info.patches.join(', ')}` : '';
  const off = info.nativeMatMulOff ? `; native matmul off: ${info.nativeMatMulOff}` : '';
  const threads = info.patches.find((p) => p.endsWith('native threads') || p.endsWith('native thread'));
  // Where the thread count came from: the machine's cores (each product or kernel takes as many as its size is worth), or the setting.
  const why = threads
    ? threadCountIsSet()
      ? ` (set by ${THREADS_ENV})`
      : ` (one per core of ${physicalCores()}; ${THREADS_ENV}=N sets it)`
    : '';
  const head = `TF.js backend: ${info.name}${patches}${why}${info.forced ? ` (forced by ${BACKEND_ENV})` : ''}${off}`;
  if (info.skipped.length === 0) return head;
  return `${head}; passed over ${info.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`;
}

/** Select a backend: `forced` (or `HOW_LLMS_BACKEND`) if given, else the fastest that initialises. */
export async function selectBackend(forced?: BackendName): Promise<BackendInfo> {
  const want = forced ?? settings().backend;
  if (want) {
    let tfName: string;
    try {
      tfName = await tryBackend(want);
    } catch (err) {
      throw new Error(
        `Backend "${want}" was forced by ${BACKEND_ENV} but is unavailable: ${firstLine(err)}. ` +
          `Unset ${BACKEND_ENV} to use the fastest available backend, or install what it needs (see README, "Backends").`,
      );
    }
    const info = {
      name: want,
      tfName,
      forced: true,
      skipped: [],
      patches: activePatches(tfName),
      nativeMatMulOff: nativeMatMulOff(tfName),
    };
    return { ...info, summary: describe(info) };
  }
  const skipped: BackendInfo['skipped'] = [];
  for (const name of BACKEND_PREFERENCE) {
    try {
      const tfName = await tryBackend(name);
      const info = {
        name,
        tfName,
        forced: false,
        skipped,
        patches: activePatches(tfName),
        nativeMatMulOff: nativeMatMulOff(tfName),
      };
      return { ...info, summary: describe(info) };
    } catch (err) {
      skipped.push({ name, reason: firstLine(err).replace(/Cannot find module '([^']+)'.*/, '$1 is not installed') });
    }
  }
  throw new Error('No TF.js backend could be initialised, not even cpu: reinstall with `npm ci`.');
}

let current: Promise<BackendInfo> | undefined;

/** Resolve once the backend is chosen; the first call chooses. Await it before any tensor work. */
export function ready(): Promise<BackendInfo> {
  current ??= selectBackend();
  return current;
}

/** Switch to a named backend now (tests run the same code on `wasm` and `cpu`). */
export async function useBackend(name: BackendName): Promise<BackendInfo> {
  current = selectBackend(name);
  return current;
}

/** The backends that initialise on this machine, fastest first (tries each; leaves the current one active). */
export async function availableBackends(): Promise<BackendName[]> {
  const before = tf.getBackend();
  const found: BackendName[] = [];
  for (const name of BACKEND_PREFERENCE) {
    try {
      await tryBackend(name);
      found.push(name);
    } catch {
      // unavailable here: not listed
    }
  }
  if (before) await tf.setBackend(before);
  return found;
}

export { tf };

// The fused kernels (each registers itself for wasm and cpu on import) and the switches they answer to.
export {
  FUSED_ENV,
  NATIVE_KERNELS_ENV,
  fusedAvailable,
  fusedSwitchedOn,
  nativeKernelCount,
  nativeKernelsOffReason,
  nativeKernelsStatus,
  registerFusedKernel,
  runFused,
  setNativeKernels,
  type FusedKernelSpec,
} from './fused';
export { fusedAdamW, type AdamWKernelAttrs } from './kernels/adamw';
export {
  fusedCachedAttention,
  fusedCausalSoftmax,
  fusedKVCacheWrite,
  fusedMergeHeads,
  fusedSplitHeads,
  type CachedAttentionOptions,
} from './kernels/attention';
export { fusedCrossEntropy } from './kernels/cross-entropy';
export { fusedGelu } from './kernels/gelu';
export { fusedGlobalNorm } from './kernels/global-norm';
export { fusedLayerNorm } from './kernels/layernorm';
export { fastOps } from './ops';
