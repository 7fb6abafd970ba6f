/**
 * Fused kernels: one kernel call where the readable composition of TF.js ops takes many.
 *
 * A training step of the baby GPT makes about 2,300 kernel calls; most are elementwise ops on small
 * tensors whose fixed cost (dispatch, allocation, the gradient tape) outweighs their arithmetic.
 * A fused op keeps two implementations:
 *   - the reference: the formula the chapter teaches, composed of TF.js ops, run on every backend
 *     that has no fused kernel (node, webgpu) and whenever the speed patches are off;
 *   - a kernel: one loop over Float32Arrays, registered for the wasm and cpu backends, whose
 *     gradient is another such kernel.
 * Tests hold each kernel to its reference, values and gradients, on wasm and on cpu.
 * `HOW_LLMS_FUSED=0` (or `HOW_LLMS_STOCK_TFJS=1`) runs the references everywhere.
 *
 * A kernel may also name a native version (`native`): the same loop in C (accel/native/fused_kernels.c), in the
 * addon that holds the BLAS product. Where that addon is built it runs instead of the JS loop, on the same
 * arrays (views into the wasm heap, or the cpu backend's own), and gives the same numbers (float64 throughout,
 * as the JS). The JS loop stays the fallback: no addon, `HOW_LLMS_NATIVE_KERNELS=0`, or `HOW_LLMS_STOCK_TFJS=1`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeAddon } from './native-matmul';
import { speedPatchesEnabled, speedPatchesOffReason } from './speed-patches';
import { SETTING_ENV, settings, settingsVersion, type Settings } from './settings';

/** Environment variable that switches the fused kernels off (`0`) so the references run. */
export const FUSED_ENV = SETTING_ENV.fused;

/** The backends fused kernels are registered for: both keep float32 data in typed arrays the kernel can loop over. */
const FUSED_BACKENDS = ['wasm', 'cpu'] as const;

/** A fused kernel: output shapes from the inputs, then one pass that fills the outputs. */
export interface FusedKernelSpec<A extends object = Record<string, unknown>> {
  /** TF.js kernel name; prefix it `HowLlms` so it never collides with TF.js's own. */
  name: string;
  /** Input names, in the order `compute` receives them. */
  inputs: readonly string[];
  /**
   * Whether any number of further inputs follow the named ones (one kernel over a whole list of tensors):
   * every other key of the input map, in the map's key order; key them '0', '1', … to keep the list's order.
   */
  variadic?: boolean;
  /** Shapes of the outputs, from the inputs' shapes. */
  outputShapes(shapes: number[][], attrs: A): number[][];
  /**
   * Inputs (by position among the named ones) the kernel updates, such as a key/value cache: each is first copied
   * into a fresh output, `compute` (or the native version) updates that copy in its place, and the copies follow
   * the outputs. TF.js assumes no kernel changes its inputs, and a shared clone would see the change: none does.
   */
  updates?: readonly number[];
  /** Fill `outputs` (fresh, not zeroed) from `inputs` (read-only, but for the copies named by `updates`). */
  compute(inputs: Float32Array[], outputs: Float32Array[], shapes: number[][], attrs: A): void;
  /**
   * The addon's export that does what `compute` does, where the native kernels run (see `nativeKernelsStatus`).
   * It is called as `addon[native](...inputs, ...outputs, ...nativeArgs(shapes, attrs))`.
   */
  native?: string;
  /**
   * The numbers the native version takes after its arrays (sizes and attributes); none when absent. Undefined where
   * the native version does not cover these attributes: the JS loop runs.
   */
  nativeArgs?(shapes: number[][], attrs: A): number[] | undefined;
}

/** Environment variable that switches the kernels' native versions off (`0`), so their JavaScript loops run. */
export const NATIVE_KERNELS_ENV = SETTING_ENV.nativeKernels;

/** A native kernel: its arrays (inputs, then outputs), then its numbers. */
type NativeKernel = (...args: (Float32Array | number)[]) => void;

/**
 * Why the native kernels cannot run, or undefined when they can: a switch (`HOW_LLMS_NATIVE_KERNELS=0`,
 * `HOW_LLMS_STOCK_TFJS=1`) or the addon's reason (not built, stale, does not load). Loads the addon (once).
 */
export function nativeKernelsOffReason(s: Readonly<Settings> = settings()): string | undefined {
  const patches = speedPatchesOffReason(undefined, s);
  if (patches !== undefined) return patches;
  if (!s.nativeKernels) return `${NATIVE_KERNELS_ENV}=0`;
  return nativeAddon().reason;
}

// Decided on the first kernel call (the environment as it is then), or by setNativeKernels.
let native: { addon?: Record<string, unknown>; reason?: string } | undefined;
const nativeCalls = new Map<string, number>();

function nativeState(): { addon?: Record<string, unknown>; reason?: string } {
  if (!native) {
    const reason = nativeKernelsOffReason();
    native = reason === undefined ? { addon: nativeAddon().addon } : { reason };
  }
  return native;
}

/** Why the native kernels do not run now, or undefined while they do. */
export function nativeKernelsStatus(): string | undefined {
  return nativeState().reason;
}

/**
 * Turn the native kernels off (`false`: the JS loops run), or on again where they can run (`true`: the switches
 * and the addon are looked at anew). For tests and measurements. Returns why they are off, or undefined.
 */
export function setNativeKernels(on: boolean): string | undefined {
  native = on ? undefined : { reason: 'switched off by setNativeKernels(false)' };
  return nativeKernelsStatus();
}

/** How many kernel calls ran natively in this process: of the kernel `name` (its TF.js name), or of all. */
export function nativeKernelCount(name?: string): number {
  if (name !== undefined) return nativeCalls.get(name) ?? 0;
  let total = 0;
  for (const n of nativeCalls.values()) total += n;
  return total;
}

/** Run the kernel natively when it can; false when the JS loop must. */
function runNative<A extends object>(
  spec: FusedKernelSpec<A>,
  ins: Float32Array[],
  outs: Float32Array[],
  shapes: number[][],
  attrs: A,
): boolean {
  if (spec.native === undefined) return false;
  const fn = nativeState().addon?.[spec.native];
  if (typeof fn !== 'function') return false;
  // The cpu backend could hold a float32 tensor's values in another array type; the JS loop takes any.
  for (const a of ins) if (!(a instanceof Float32Array)) return false;
  const args = spec.nativeArgs ? spec.nativeArgs(shapes, attrs) : [];
  if (args === undefined) return false;
  (fn as NativeKernel)(...ins, ...outs, ...args);
  nativeCalls.set(spec.name, (nativeCalls.get(spec.name) ?? 0) + 1);
  return true;
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}
interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** The inputs in the order `compute` receives them: the named ones, then (variadic) every other key's. */
function orderedInputs<A extends object>(spec: FusedKernelSpec<A>, inputs: tf.NamedTensorInfoMap): tf.TensorInfo[] {
  const named = spec.inputs.map((n) => inputs[n] as tf.TensorInfo);
  if (!spec.variadic) return named;
  const rest = Object.keys(inputs).filter((k) => !spec.inputs.includes(k));
  return [...named, ...rest.map((k) => inputs[k] as tf.TensorInfo)];
}

/** Copy each input the kernel updates into its fresh array, and hand the kernel the copy in the input's place. */
function copyUpdated<A extends object>(
  spec: FusedKernelSpec<A>,
  inViews: Float32Array[],
  copies: Float32Array[],
): void {
  (spec.updates ?? []).forEach((i, j) => {
    copies[j].set(inViews[i]);
    inViews[i] = copies[j];
  });
}

function wasmKernel<A extends object>(spec: FusedKernelSpec<A>): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const ins = orderedInputs(spec, inputs);
    const shapes = ins.map((t) => t.shape);
    const a = attrs as unknown as A;
    // Allocate every output before taking views: an allocation may grow the heap and detach older views.
    const outs = spec.outputShapes(shapes, a).map((s) => wasm.makeOutput(s, 'float32'));
    const copies = (spec.updates ?? []).map((i) => wasm.makeOutput(shapes[i], 'float32'));
    const inViews = ins.map((t) => wasm.typedArrayFromHeap(t));
    const outViews = outs.map((t) => wasm.typedArrayFromHeap(t));
    copyUpdated(
      spec,
      inViews,
      copies.map((t) => wasm.typedArrayFromHeap(t)),
    );
    if (!runNative(spec, inViews, outViews, shapes, a)) spec.compute(inViews, outViews, shapes, a);
    const all = [...outs, ...copies];
    return all.length === 1 ? all[0] : all;
  };
}

function cpuKernel<A extends object>(spec: FusedKernelSpec<A>): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackendLike;
    const ins = orderedInputs(spec, inputs);
    const shapes = ins.map((t) => t.shape);
    const a = attrs as unknown as A;
    const outShapes = spec.outputShapes(shapes, a);
    const outViews = outShapes.map((s) => new Float32Array(tf.util.sizeFromShape(s)));
    const inViews = ins.map((t) => cpu.data.get(t.dataId).values);
    const copies = (spec.updates ?? []).map((i) => new Float32Array(inViews[i].length));
    copyUpdated(spec, inViews, copies);
    if (!runNative(spec, inViews, outViews, shapes, a)) spec.compute(inViews, outViews, shapes, a);
    const outs = outShapes.map((s, i) => cpu.makeTensorInfo(s, 'float32', outViews[i]));
    const updated = (spec.updates ?? []).map((i, j) => cpu.makeTensorInfo(shapes[i], 'float32', copies[j]));
    const all = [...outs, ...updated];
    return all.length === 1 ? all[0] : all;
  };
}

/** Register a fused kernel for wasm and cpu (idempotent), and its gradient when given. */
export function registerFusedKernel<A extends object>(
  spec: FusedKernelSpec<A>,
  gradient?: Omit<tf.GradConfig, 'kernelName'>,
): void {
  for (const backendName of FUSED_BACKENDS) {
    if (tf.getKernel(spec.name, backendName)) continue;
    const kernelFunc = backendName === 'wasm' ? wasmKernel(spec) : cpuKernel(spec);
    tf.registerKernel({ kernelName: spec.name, backendName, kernelFunc });
  }
  if (gradient && !tf.getGradient(spec.name)) tf.registerGradient({ kernelName: spec.name, ...gradient });
}

/** Whether `name` runs fused here: the active backend has its kernel, the inputs are float32, and nothing switched it off. */
export function fusedAvailable(name: string, inputs: tf.Tensor[] = []): boolean {
  if (!fusedSwitchedOn()) return false;
  if (!inputs.every((t) => t.dtype === 'float32')) return false;
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

// Asked before every fused op: the answer is kept until the settings change.
let switches: { version: number; on: boolean } | undefined;

/** Whether the fused kernels may run: neither `HOW_LLMS_FUSED=0` nor the speed patches' own switches say no. */
export function fusedSwitchedOn(): boolean {
  const version = settingsVersion();
  if (switches?.version !== version) switches = { version, on: settings().fused && speedPatchesEnabled() };
  return switches.on;
}

/** Run a registered fused kernel on named inputs; returns its outputs in order. */
export function runFused(name: string, inputs: Record<string, tf.Tensor>, attrs: object = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
}
