/**
 * A key/value cache for generation: each layer keeps the keys and values of every token seen so far,
 * so the next step feeds only the new token and attends to the cached past instead of recomputing it.
 *
 * Where the fused kernels run (wasm, cpu), each layer's keys and values live in two buffers allocated once,
 * (B, H, blockSize, D), and each step writes its new rows into them in place: no step copies the past.
 * Elsewhere (and with HOW_LLMS_FUSED=0) each step concatenates the new keys and values to the old ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, fusedKVCacheWrite } from '@how-llms-work/accel';

/**
 * One layer's cached keys and values, each (B, H, ≥ length, D), or null before the first step:
 * positions 0 … length − 1 along axis 2 hold the past; preallocated buffers have room after them, up to `capacity`.
 */
export interface LayerKV {
  k: tf.Tensor4D | null;
  v: tf.Tensor4D | null;
  /** Positions cached in this layer. */
  length: number;
  /** The most positions this layer will hold (the model's blockSize): the size of preallocated buffers. */
  capacity: number;
}

/** Keys and values of every layer, and how many positions they hold. */
export interface KVCache {
  layers: LayerKV[];
  /** Positions cached so far; the next token sits at this position. */
  length: number;
  /** The most positions the model can attend over (its blockSize). */
  maxLength: number;
}

/** An empty cache for a model of `nLayer` layers and `blockSize` positions. */
export function createKVCache(config: { nLayer: number; blockSize: number }): KVCache {
  return {
    layers: Array.from({ length: config.nLayer }, () => ({ k: null, v: null, length: 0, capacity: config.blockSize })),
    length: 0,
    maxLength: config.blockSize,
  };
}

/** Free a cache's tensors and empty it (it can be reused for a new sequence). */
export function disposeKVCache(cache: KVCache): void {
  for (const layer of cache.layers) {
    layer.k?.dispose();
    layer.v?.dispose();
    layer.k = null;
    layer.v = null;
    layer.length = 0;
  }
  cache.length = 0;
}

/**
 * Make sure `layer` holds preallocated buffers (B, H, capacity, D) that the in-place kernels can write, moving
 * any keys and values cached by concatenation into them. False where those kernels do not run (keep concatenating).
 */
export function preallocateKV(layer: LayerKV, B: number, H: number, D: number): boolean {
  // The cache kernels are registered together (accel/src/kernels/attention.ts): one runs where the other does.
  if (!fusedAvailable('HowLlmsKVCacheWrite')) return false;
  const { k, v } = layer;
  if (k && v && k.shape[2] === layer.capacity) {
    const [b, h, , d] = k.shape;
    if (b !== B || h !== H || d !== D) throw new Error(`KV cache holds (${b}, ${h}, ·, ${d}) keys but this step has (${B}, ${H}, ·, ${D}): start a new cache (createKVCache) for a new batch`);
    return true;
  }
  const kBuffer = tf.keep(tf.zeros([B, H, layer.capacity, D])) as tf.Tensor4D;
  const vBuffer = tf.keep(tf.zeros([B, H, layer.capacity, D])) as tf.Tensor4D;
  if (k && v && layer.length > 0) {
    // Keys and values concatenated so far (the fused kernels were off): copy them to the front of the buffers.
    const held = tf.tidy(() => [k, v].map((t) => (t.shape[2] === layer.length ? t : t.slice([0, 0, 0, 0], [-1, -1, layer.length, -1]))));
    tf.dispose(fusedKVCacheWrite(kBuffer, vBuffer, held[0], held[1], 0));
    tf.dispose(held);
  }
  k?.dispose();
  v?.dispose();
  layer.k = kBuffer;
  layer.v = vBuffer;
  return true;
}

/**
 * Append this step's keys and values k, v (B, H, T, D) to `layer` and return every key and value it now holds,
 * each (B, H, length + T, D), valid until the next append. In place into preallocated buffers where the fused
 * kernels run (the returned tensors are then copies), else by concatenation (they are then the cache's own).
 */
export function appendKV(layer: LayerKV, k: tf.Tensor, v: tf.Tensor): [tf.Tensor4D, tf.Tensor4D] {
  const [B, H, T, D] = k.shape as number[];
  if (layer.length + T > layer.capacity) {
    throw new Error(`KV cache holds ${layer.length} positions and ${T} more would exceed its capacity ${layer.capacity}: start a new cache (createKVCache)`);
  }
  if (preallocateKV(layer, B, H, D)) {
    const all = fusedKVCacheWrite(layer.k!, layer.v!, k, v, layer.length)!;
    layer.length += T;
    return all as [tf.Tensor4D, tf.Tensor4D];
  }
  const all = tf.tidy(() =>
    [layer.k, layer.v].map((past, i) => {
      const now = i === 0 ? k : v;
      if (!past || layer.length === 0) return now;
      const held = past.shape[2] === layer.length ? past : past.slice([0, 0, 0, 0], [-1, -1, layer.length, -1]);
      return tf.concat([held, now], 2); // (B, H, length + T, D)
    }),
  ) as [tf.Tensor4D, tf.Tensor4D];
  layer.k?.dispose();
  layer.v?.dispose();
  layer.k = tf.keep(all[0]);
  layer.v = tf.keep(all[1]);
  layer.length += T;
  return all;
}
