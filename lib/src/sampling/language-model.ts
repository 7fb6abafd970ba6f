/**
 * What a decoder needs from a model: logits for a batch of ids, and optionally a key/value cache.
 * The GPT adapter is here; any other next-token model (a bigram table, an RNN) can implement the same shape.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { createKVCache, disposeKVCache, gptForward, type GPTConfig, type KVCache } from '../model/gpt';
import type { Params } from '../model/params';

/** A causal language model as the decoders see it. */
export interface CausalLM {
  /** The longest context the model attends over. */
  blockSize: number;
  vocabSize: number;
  /** Logits (B, T, V) for ids (B, T) int32; with a cache, ids are only the tokens after the cached ones. */
  forward(ids: tf.Tensor2D, cache?: KVCache): tf.Tensor3D;
  /** A new, empty cache (models without one leave this out). */
  createCache?(): KVCache;
  disposeCache?(cache: KVCache): void;
}

/** Wrap a GPT's (params, config) as a CausalLM with a key/value cache. */
export function gptLanguageModel(params: Params, config: GPTConfig): CausalLM {
  return {
    blockSize: config.blockSize,
    vocabSize: config.vocabSize,
    forward: (ids, cache) => gptForward(params, config, ids, { cache }), // (B, T, V)
    createCache: () => createKVCache(config),
    disposeCache: (cache) => disposeKVCache(cache),
  };
}
