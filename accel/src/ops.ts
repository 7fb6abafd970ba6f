/**
 * The accelerator's versions of the library's `ops` entries (lib/src/ops): what `ready()` registers.
 * Each runs a fused kernel (wasm, cpu) or the patched matrix product where it can, and declines (undefined)
 * elsewhere, so the library's reference formula runs. The shapes follow the entries' contracts in lib/src/ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { speedPatchesEnabled } from './speed-patches';
import { wasmMatMulInstalled } from './wasm-matmul';
import { fusedAdamW, type AdamWKernelAttrs } from './kernels/adamw';
import {
  fusedCachedAttention,
  fusedCausalSoftmax,
  fusedKVCacheWrite,
  fusedMergeHeads,
  fusedSplitHeads,
  type CachedAttentionOptions,
} from './kernels/attention';
import { fusedCrossEntropy } from './kernels/cross-entropy';
import { fusedGelu } from './kernels/gelu';
import { fusedGlobalNorm } from './kernels/global-norm';
import { fusedLayerNorm } from './kernels/layernorm';

/** x (N, in) · weight (out, in)ᵀ + bias: the patched products take Wᵀ as a flag (free in OpenBLAS, a cached transpose on wasm). */
function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor | undefined {
  // Stock TF.js's wasm product runs a transposed operand through a naive loop (~5x slower): the reference transposes.
  if (!speedPatchesEnabled() || (tf.getBackend() === 'wasm' && !wasmMatMulInstalled())) return undefined;
  // The bias rides in the product (the BLAS starts each output row from it), not a separate pass over the output.
  return tf.fused.matMul({ a: x, b: weight, transposeB: true, bias }); // (N, out)
}

/** One cached decoding step in one kernel: output, weights when asked, and the new key/value buffers. */
function cachedAttention(qkv: tf.Tensor, keys: tf.Tensor, values: tf.Tensor, options: CachedAttentionOptions) {
  const out = fusedCachedAttention(qkv, keys, values, options);
  if (!out) return undefined;
  const [output, ...rest] = out;
  const weights = options.weights ? rest.shift() : undefined;
  return { output, weights, keys: rest[0], values: rest[1] };
}

/** Keys and values written at `position` into new buffers (B, H, capacity, D), then the filled prefixes. */
function writeKV(
  keys: tf.Tensor,
  values: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  position: number,
): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] | undefined {
  const out = fusedKVCacheWrite(keys, values, k, v, position);
  return out && [out[2], out[3], out[0], out[1]];
}

/** The entries `ready()` registers with the library's `ops`. */
export const fastOps = {
  linear,
  gelu: fusedGelu,
  layerNorm: (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | undefined, eps: number) =>
    fusedLayerNorm(x, weight, bias, eps),
  causalSoftmax: fusedCausalSoftmax,
  splitHeads: fusedSplitHeads,
  mergeHeads: fusedMergeHeads,
  cachedAttention,
  writeKV,
  crossEntropy: fusedCrossEntropy,
  adamW: (param: tf.Tensor, m: tf.Tensor, v: tf.Tensor, grad: tf.Tensor, scale: tf.Scalar, h: AdamWKernelAttrs) =>
    fusedAdamW(param, m, v, grad, scale, h),
  globalNorm: fusedGlobalNorm,
};
