import {
  feedForward,
  gptEmbed,
  gptHead,
  layerNorm,
  linear,
  mergeHeads,
  scaledDotProductAttention,
  splitHeads,
  tf,
  type GPTConfig,
  type Params,
} from '@how-llms-work/lib';

/** Each layer's cached keys and values, each (B, H, length, D), null before the first call; `length` positions so far. */
export interface LayerCache {
  keys: (tf.Tensor4D | null)[];
  values: (tf.Tensor4D | null)[];
  length: number;
}

/** An empty cache for a model of `nLayer` layers. */
export function emptyCache(nLayer: number): LayerCache {
  return { keys: Array(nLayer).fill(null), values: Array(nLayer).fill(null), length: 0 };
}

/** Free a cache's tensors. */
export function freeCache(cache: LayerCache): void {
  tf.dispose([...cache.keys, ...cache.values].filter((t): t is tf.Tensor4D => t !== null));
  cache.keys.fill(null);
  cache.values.fill(null);
  cache.length = 0;
}

/**
 * The GPT forward pass with a key/value cache: ids (B, Tnew) int32 are the tokens after the `cache.length` already
 * seen → logits (B, Tnew, V) for the new positions only, equal to the rows of the full forward pass over all
 * cache.length + Tnew tokens. Extend the cache with this call's keys and values and add Tnew to cache.length.
 * Use the library's pieces for everything but attention:
 *   x = gptEmbed(params, config, ids, cache.length)        token + position embeddings, positions from cache.length
 *   per block i (prefix p = `transformer.h.${i}`):
 *     h = layerNorm(x, params[`${p}.ln_1.weight`], params[`${p}.ln_1.bias`])
 *     q, k, v = the three C-wide parts of linear(h, params[`${p}.attn.c_attn.weight`], params[`${p}.attn.c_attn.bias`]),
 *               each split into heads with splitHeads(·, nHead) → (B, H, Tnew, D)
 *     keys = the cached keys of layer i, then k, along the time axis (axis 2); values likewise; store both in the cache
 *     x = x + linear(mergeHeads(attention of q over keys, values), c_proj)  with scaledDotProductAttention(q, keys,
 *         values, { causal: true }): the new queries sit at the last Tnew positions, so query j sees keys 0 … cache.length + j
 *     x = x + feedForward(params, `${p}.mlp`, layerNorm(x, ln_2))
 *   logits = gptHead(params, config, x)
 * Cached tensors must outlive this call (tf.keep them), and a layer's old keys and values must be disposed when
 * replaced: a whole generation leaves no tensor behind once freeCache runs. cache.length + Tnew > blockSize throws an
 * Error naming both numbers.
 *
 * Example: forwardWithCache on [[5, 6, 7]] with an empty cache, then on [[8]], gives as its one row of logits the last
 * row of gptForward(params, config, [[5, 6, 7, 8]]), with one position of work instead of four.
 */
export function forwardWithCache(params: Params, config: GPTConfig, ids: tf.Tensor2D, cache: LayerCache): tf.Tensor3D {
  throw new Error('TODO: implement forwardWithCache (see the chapter 08 notebook, section The key/value cache and its speed-up)');
}

/** Greedy decoding with the cache: the prompt in one call, then one new token per call → the maxNewTokens new ids. */
export function greedyWithCache(params: Params, config: GPTConfig, prompt: number[], maxNewTokens: number): number[] {
  const cache = emptyCache(config.nLayer);
  const generated: number[] = [];
  try {
    let input = prompt;
    for (let n = 0; n < maxNewTokens; n++) {
      const next = tf.tidy(() => {
        const logits = forwardWithCache(params, config, tf.tensor2d([input], [1, input.length], 'int32'), cache); // (1, T, V)
        return logits.slice([0, input.length - 1, 0], [1, 1, config.vocabSize]).argMax(-1); // (1, 1)
      });
      const token = next.dataSync()[0];
      next.dispose();
      generated.push(token);
      input = [token];
    }
  } finally {
    freeCache(cache);
  }
  return generated;
}
