// Chapter 14 exercise: the KV-cache memory formula and the context it allows, against the library's kvCacheBytes.
import { describe, expect, it } from 'vitest';
import { kvCacheSize, longestContext } from '@exercises/ch14-modern-architectures/kv-memory';
import { kvCacheBytes } from '@how-llms-work/lib';

describe('ch14 kvCacheSize', () => {
  it('computes the worked example', () => {
    expect(kvCacheSize({ nLayer: 2, nHead: 4, nEmbd: 64, kvHeads: 1 }, 10, 3, 2)).toBe(3840);
  });

  it('matches the library for Llama 2 70B (80 layers, 64 heads, 8 KV heads, width 8192) at 4,096 tokens in fp16', () => {
    const shape = { nLayer: 80, nHead: 64, nEmbd: 8192, kvHeads: 8 };
    expect(kvCacheSize(shape, 4096, 1, 2)).toBe(kvCacheBytes(shape, 4096, 1, 2));
  });
});

describe('ch14 longestContext', () => {
  it('computes the worked example', () => {
    expect(longestContext({ nLayer: 2, nHead: 4, nEmbd: 64, kvHeads: 1 }, 10_000, 3, 2)).toBe(26);
  });
});
