/**
 * A key/value cache for generation: each layer keeps the keys and values of every token seen so far,
 * so the next step feeds only the new token and attends to the cached past instead of recomputing it.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** One layer's cached keys and values, each (B, H, Tpast, D), or null before the first step. */
export interface LayerKV {
  k: tf.Tensor4D | null;
  v: tf.Tensor4D | null;
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
  return { layers: Array.from({ length: config.nLayer }, () => ({ k: null, v: null })), length: 0, maxLength: config.blockSize };
}

/** Free a cache's tensors and empty it (it can be reused for a new sequence). */
export function disposeKVCache(cache: KVCache): void {
  for (const layer of cache.layers) {
    layer.k?.dispose();
    layer.v?.dispose();
    layer.k = null;
    layer.v = null;
  }
  cache.length = 0;
}
