/**
 * A faster matrix product for TF.js 4.22's wasm backend.
 *
 * Stock wasm runs XNNPACK's fast fully-connected kernel only for an untransposed product
 * with one batch; anything else (every gradient of a matrix product, every attention score)
 * falls to a naive triple loop that is 10-45x slower. This kernel keeps every product on the
 * fast path: it materialises a transposed operand with the wasm Transpose kernel (O(n^2)
 * against the product's O(n^3)), folds a batch that shares one right operand into rows, and
 * otherwise calls the fast path once per batch slice through views into the wasm heap.
 * It replaces `BatchMatMul` and `_FusedMatMul` on wasm only; `installWasmMatMul` and
 * `uninstallWasmMatMul` switch between it and the stock kernels. When a native product is set
 * (native-matmul.ts: OpenBLAS on the wasm heap), every product it accepts goes there first.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel, overriddenWasmKernels, restoreWasmKernels, stockWasmKernel } from './kernel-overrides';

/** The parts of TF.js's BackendWasm this kernel uses (4.22 internals). */
export interface WasmModuleLike {
  HEAPU8: Uint8Array;
  cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}
export interface WasmBackend {
  wasm: WasmModuleLike;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

// Activations XNNPACK fuses into the product as a clamp (see tfjs-backend-wasm kernels/types.ts).
const CLAMP_ACTIVATION: Record<string, number> = { linear: 0, relu: 1, relu6: 2 };

type FusedCall = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  activation: number,
  biasId: number,
  preluId: number,
  leakyreluAlpha: number,
  outId: number,
) => void;

// One wrapped entry point per wasm module (a re-created backend gets a fresh one).
const fusedCalls = new WeakMap<WasmModuleLike, FusedCall>();
const KERNELS = ['BatchMatMul', '_FusedMatMul'];

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

function fused(backend: WasmBackend): FusedCall {
  // The C entry point `_FusedMatMul` is the fast path for (1, M, K) @ (1, K, N) plus bias and clamp.
  let call = fusedCalls.get(backend.wasm);
  if (!call) {
    call = backend.wasm.cwrap('_FusedMatMul', null, [
      'number',
      'array',
      'number',
      'number',
      'array',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
    ]) as unknown as FusedCall;
    fusedCalls.set(backend.wasm, call);
  }
  return call;
}

/** Swap the last two axes of x into fresh memory: (..., R, S) -> (..., S, R). */
function swapLastTwo(x: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  const transpose = tf.getKernel('Transpose', 'wasm')!;
  return transpose.kernelFunc({
    inputs: { x },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { perm },
  }) as tf.TensorInfo;
}

/**
 * Weights (out, in) are multiplied transposed by every linear layer, and the same weights again and again
 * while generating or evaluating. Their transposed copy is kept until the weights' memory is freed, so it is
 * made once, and XNNPACK, which caches its packed copy by tensor id, packs it once too.
 */
const transposed = new WeakMap<WasmBackend, Map<object, tf.TensorInfo>>();
const stockDisposeData = new WeakMap<WasmBackend, WasmBackend['disposeData']>();

function cachedTranspose(b: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  let cache = transposed.get(backend);
  if (!cache) {
    const dispose = backend.disposeData.bind(backend);
    const entries = new Map<object, tf.TensorInfo>();
    cache = entries;
    transposed.set(backend, entries);
    stockDisposeData.set(backend, backend.disposeData);
    // Free a cached transpose with the memory it was made from.
    backend.disposeData = (dataId: object, force?: boolean) => {
      const freed = dispose(dataId, force);
      const copy = freed ? entries.get(dataId) : undefined;
      if (copy) {
        entries.delete(dataId);
        dispose(copy.dataId, true);
      }
      return freed;
    };
  }
  const copy = cache.get(b.dataId);
  // A reshape shares its source's memory: the same data seen as another shape has another transpose.
  if (copy && copy.shape[0] === b.shape[1] && copy.shape[1] === b.shape[0]) return copy;
  const fresh = swapLastTwo(b, backend); // (in, out)
  if (copy) backend.disposeData(copy.dataId, true);
  cache.set(b.dataId, fresh);
  return fresh;
}

/** Free every cached transpose and give each backend its own disposeData back. */
function clearTransposeCaches(): void {
  for (const backendName of ['wasm']) {
    const backend = tf.findBackend(backendName) as unknown as WasmBackend | null;
    if (!backend) continue;
    const original = stockDisposeData.get(backend);
    const cache = transposed.get(backend);
    if (!original || !cache) continue;
    backend.disposeData = original;
    for (const copy of cache.values()) original.call(backend, copy.dataId, true);
    transposed.delete(backend);
    stockDisposeData.delete(backend);
  }
}

/** A temporary tensor id for `size` floats at byte `offset` of the wasm heap (memory owned elsewhere). */
function view(backend: WasmBackend, offset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, offset);
  return id;
}

export interface Product {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: tf.TensorInfo;
  activation: number;
}

/** The batch layout of a @ b, or undefined when it needs a broadcast the fast path cannot express. */
export function layout({ a, b, transposeA, transposeB }: Product) {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== Kb) {
    throw new Error(
      `matMul inner sizes differ: a ${JSON.stringify(a.shape)} (transposeA=${transposeA}) has ${K}, ` +
        `b ${JSON.stringify(b.shape)} (transposeB=${transposeB}) has ${Kb}; transpose one operand so they match`,
    );
  }
  const batchDims = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = tf.util.sizeFromShape(batchDims);
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const simple = (batchA === batch || batchA === 1) && (batchB === batch || batchB === 1);
  if (!simple || M * N * K === 0) return undefined;
  return { M, K, N, batchDims, batch, batchA, batchB };
}

export type Layout = NonNullable<ReturnType<typeof layout>>;

/** A product outside wasm's own kernels: the output, or undefined to leave this one to XNNPACK. */
export type NativeProduct = (p: Product, dims: Layout, backend: WasmBackend) => tf.TensorInfo | undefined;

let nativeProduct: NativeProduct | undefined;

/** Send every product the fast path would take to `product` first (undefined: XNNPACK only). */
export function setNativeProduct(product: NativeProduct | undefined): void {
  nativeProduct = product;
}

/** Whether a native product is set (it runs only while these kernels are installed). */
export function nativeProductSet(): boolean {
  return nativeProduct !== undefined;
}

/** (..., M, K) @ (..., K, N) -> (..., M, N) on XNNPACK's fast path, transposes and batches included. */
function fastProduct(p: Product, backend: WasmBackend): tf.TensorInfo | undefined {
  const dims = layout(p);
  if (!dims) return undefined;
  const native = nativeProduct?.(p, dims, backend);
  if (native) return native;
  const { M, K, N, batchDims, batch, batchA, batchB } = dims;
  const temps: tf.TensorInfo[] = [];
  const a = p.transposeA ? swapLastTwo(p.a, backend) : p.a; // (batchA, M, K)
  const cacheable = p.transposeB && p.b.shape.length === 2;
  const b = cacheable ? cachedTranspose(p.b, backend) : p.transposeB ? swapLastTwo(p.b, backend) : p.b; // (batchB, K, N)
  if (p.transposeA) temps.push(a);
  if (p.transposeB && !cacheable) temps.push(b);
  const out = backend.makeOutput([...batchDims, M, N], 'float32');
  const call = fused(backend);
  const id = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).id;
  const biasId = p.bias ? id(p.bias) : 0;
  if (batchB === 1) {
    // One right operand for every batch: stack the batches as rows, one call. (batch*M, K) @ (K, N)
    call(
      id(a),
      shapeBytes([1, batchA * M, K]),
      3,
      id(b),
      shapeBytes([1, K, N]),
      3,
      false,
      false,
      p.activation,
      biasId,
      0,
      0,
      id(out),
    );
  } else {
    // One call per slice, through views into each operand's memory.
    const base = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
    const [aBase, bBase, outBase] = [base(a), base(b), base(out)];
    for (let i = 0; i < batch; i++) {
      const aId = view(backend, aBase + (batchA === 1 ? 0 : i * M * K * 4), M * K); // (M, K)
      const bId = view(backend, bBase + i * K * N * 4, K * N); // (K, N)
      const oId = view(backend, outBase + i * M * N * 4, M * N); // (M, N)
      call(aId, shapeBytes([1, M, K]), 3, bId, shapeBytes([1, K, N]), 3, false, false, p.activation, biasId, 0, 0, oId);
      // Disposing the right operand's view also frees the XNNPACK operator cached on its id.
      for (const v of [aId, bId, oId]) backend.wasm.tfjs.disposeData(v);
    }
  }
  for (const t of temps) backend.disposeData(t.dataId);
  return out;
}

const batchMatMulKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const ok = a.dtype === 'float32' && b.dtype === 'float32';
  const out = ok && fastProduct({ a, b, transposeA, transposeB, activation: 0 }, backend as unknown as WasmBackend);
  return out || stockWasmKernel('BatchMatMul').kernelFunc({ inputs, backend, attrs });
};

const fusedMatMulKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { transposeA, transposeB, activation } = attrs as unknown as {
    transposeA: boolean;
    transposeB: boolean;
    activation: string;
  };
  const clamp = CLAMP_ACTIVATION[activation];
  // XNNPACK fuses a per-column bias (N) and a clamp; anything else keeps the stock kernel.
  const N = transposeB ? b!.shape[b!.shape.length - 2] : b!.shape[b!.shape.length - 1];
  const biasOk = bias === undefined || bias === null || (bias.shape.length === 1 && bias.shape[0] === N);
  const ok =
    a!.dtype === 'float32' && b!.dtype === 'float32' && clamp !== undefined && biasOk && !preluActivationWeights;
  const out =
    ok &&
    fastProduct(
      { a: a!, b: b!, transposeA, transposeB, bias: bias ?? undefined, activation: clamp },
      backend as unknown as WasmBackend,
    );
  return out || stockWasmKernel('_FusedMatMul').kernelFunc({ inputs, backend, attrs });
};

/** Replace wasm's BatchMatMul and _FusedMatMul with the fast-path kernels (idempotent; after wasm has initialised). */
export function installWasmMatMul(): void {
  overrideWasmKernel('BatchMatMul', batchMatMulKernel);
  overrideWasmKernel('_FusedMatMul', fusedMatMulKernel);
}

/** Put the stock wasm BatchMatMul and _FusedMatMul back (for side-by-side benchmarks and tests). */
export function uninstallWasmMatMul(): void {
  restoreWasmKernels(KERNELS);
  clearTransposeCaches();
}

/** Whether the fast-path matmul kernels are installed on wasm. */
export function wasmMatMulInstalled(): boolean {
  return KERNELS.every((k) => overriddenWasmKernels().includes(k));
}
