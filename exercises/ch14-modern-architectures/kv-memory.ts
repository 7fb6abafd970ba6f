/** The shape that decides a KV cache's size (kvHeads = nHead is multi-head attention, 1 multi-query). */
export interface CacheShape {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  kvHeads: number;
}

/**
 * Bytes of a KV cache: every layer keeps a key and a value (2) for every token of every sequence, each kvHeads
 * heads of width D = nEmbd / nHead, at bytesPerValue bytes (2 for fp16):
 *   2 · nLayer · tokens · batch · kvHeads · D · bytesPerValue.
 *
 * Example: { nLayer: 2, nHead: 4, nEmbd: 64, kvHeads: 1 }, 10 tokens, batch 3, fp16 → 2·2·10·3·1·16·2 = 3840.
 */
export function kvCacheSize(shape: CacheShape, tokens: number, batch: number, bytesPerValue: number): number {
  throw new Error('TODO: implement kvCacheSize (see the chapter 14 notebook, section How the KV cache limits context and batch)');
}

/**
 * The longest context (whole tokens) whose KV cache for `batch` sequences fits in `memoryBytes`, or 0 if none does.
 *
 * Example: the shape above at fp16 needs 128 bytes per token per sequence; 10,000 bytes, batch 3 → ⌊10000 / 384⌋ = 26.
 */
export function longestContext(shape: CacheShape, memoryBytes: number, batch: number, bytesPerValue: number): number {
  throw new Error('TODO: implement longestContext (see the chapter 14 notebook, section How the KV cache limits context and batch)');
}
