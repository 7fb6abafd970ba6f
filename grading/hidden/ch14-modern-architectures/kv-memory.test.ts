// Chapter 14 hidden tests: the KV-cache formula in every argument, and the longest context at its edges.
import { describe, expect, it } from 'vitest';
import { kvCacheSize, longestContext } from '@exercises/ch14-modern-architectures/kv-memory';
import { kvCacheBytes } from '@how-llms-work/lib';

describe('ch14 kvCacheSize', () => {
  it('scales with layers, tokens, batch, KV heads, head width and bytes, matching the library', () => {
    for (const shape of [
      { nLayer: 3, nHead: 6, nEmbd: 48, kvHeads: 6 },
      { nLayer: 32, nHead: 32, nEmbd: 4096, kvHeads: 32 },
      { nLayer: 5, nHead: 8, nEmbd: 256, kvHeads: 2 },
    ]) {
      for (const [tokens, batch, bytes] of [
        [1, 1, 4],
        [777, 5, 2],
        [4096, 16, 1],
      ]) {
        expect(kvCacheSize(shape, tokens, batch, bytes)).toBe(kvCacheBytes(shape, tokens, batch, bytes));
      }
    }
  });
});

describe('ch14 longestContext', () => {
  const shape = { nLayer: 4, nHead: 8, nEmbd: 512, kvHeads: 2 }; // 2·4·2·64·2 = 2048 bytes per token in fp16
  it('fits exactly at the edge and not one token more', () => {
    expect(longestContext(shape, 2048 * 100 * 2, 2, 2)).toBe(100);
    expect(longestContext(shape, 2048 * 100 * 2 - 1, 2, 2)).toBe(99);
  });
  it('gives 0 when not even one token fits', () => {
    expect(longestContext(shape, 1000, 1, 2)).toBe(0);
  });
});
