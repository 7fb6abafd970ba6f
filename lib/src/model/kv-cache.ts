/**
 * A key/value cache for generation: each layer keeps the keys and values of every token seen so far,
 * so the next step feeds only the new token and attends to the cached past instead of recomputing it.
 *
 * Where the accelerator registers `ops.writeKV` (wasm, cpu), each layer's keys and values live in two buffers of
 * the model's full length (B, H, blockSize, D), and each step writes its new rows into new copies of them in one
 * kernel. Elsewhere (and with HOW_LLMS_FUSED=0) each step concatenates the new keys and values to the old ones.
 * Either way the cache owns its tensors: a step never changes a tensor it handed out before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops } from '../ops';

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
 * The layer's keys and values as buffers (B, H, capacity, D) that a faster `ops.cachedAttention` writes into new
 * copies of, or undefined while the layer holds concatenated keys (or none). Throws if the step's shape differs.
 */
export function kvBuffers(layer: LayerKV, B: number, H: number, D: number): [tf.Tensor4D, tf.Tensor4D] | undefined {
  const { k, v } = layer;
  if (!k || !v || k.shape[2] !== layer.capacity) return undefined;
  const [b, h, , d] = k.shape;
  if (b !== B || h !== H || d !== D)
    throw new Error(
      `KV cache holds (${b}, ${h}, ·, ${d}) keys but this step has (${B}, ${H}, ·, ${D}): start a new cache (createKVCache) for a new batch`,
    );
  return [k, v];
}

/** Replace the layer's keys and values with k, v (kept past any tidy) and free the old ones. */
export function replaceKV(layer: LayerKV, k: tf.Tensor, v: tf.Tensor): void {
  layer.k?.dispose();
  layer.v?.dispose();
  layer.k = tf.keep(k) as tf.Tensor4D;
  layer.v = tf.keep(v) as tf.Tensor4D;
}

/**
 * Append this step's keys and values k, v (B, H, T, D) to `layer` and return every key and value it now holds,
 * each (B, H, length + T, D), valid until the next append. Where a faster `ops.writeKV` is registered the layer
 * keeps buffers of its full capacity, and each step writes into new copies of them (no kernel changes a tensor
 * someone else may hold); else each step concatenates. Either way the tensors handed out are never changed later.
 */
export function appendKV(layer: LayerKV, k: tf.Tensor, v: tf.Tensor): [tf.Tensor4D, tf.Tensor4D] {
  const [B, H, T, D] = k.shape as number[];
  if (layer.length + T > layer.capacity) {
    throw new Error(
      `KV cache holds ${layer.length} positions and ${T} more would exceed its capacity ${layer.capacity}: start a new cache (createKVCache)`,
    );
  }
  const buffers = kvBuffers(layer, B, H, D);
  const written = tf.tidy(() => {
    if (buffers) return ops.writeKV(buffers[0], buffers[1], k, v, layer.length);
    // No buffers yet: write what is held so far and this step's rows into fresh ones, if the faster entry runs.
    const rows = [layer.k, layer.v].map((past, i) => {
      const now = i === 0 ? k : v;
      return past && layer.length > 0 ? tf.concat([heldPrefix(past, layer.length), now], 2) : now;
    });
    const empty = () => tf.zeros([B, H, layer.capacity, D]);
    return ops.writeKV(empty(), empty(), rows[0], rows[1], 0);
  });
  if (written) {
    const [kBuffer, vBuffer, kAll, vAll] = written;
    replaceKV(layer, kBuffer, vBuffer);
    layer.length += T;
    return [kAll, vAll] as [tf.Tensor4D, tf.Tensor4D];
  }
  const all = tf.tidy(() =>
    [layer.k, layer.v].map((past, i) => {
      const now = i === 0 ? k : v;
      if (!past || layer.length === 0) return now;
      return tf.concat([heldPrefix(past, layer.length), now], 2); // (B, H, length + T, D)
    }),
  ) as [tf.Tensor4D, tf.Tensor4D];
  replaceKV(layer, all[0], all[1]);
  layer.length += T;
  return all;
}

/** The first `length` positions of cached keys or values (B, H, ≥ length, D) → (B, H, length, D). */
function heldPrefix(t: tf.Tensor, length: number): tf.Tensor {
  return t.shape[2] === length ? t : t.slice([0, 0, 0, 0], [-1, -1, length, -1]);
}
