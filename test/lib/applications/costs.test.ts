import { describe, expect, it } from 'vitest';
import { attentionCost, moeCost, retrievalCost } from '@how-llms-work/lib';

describe('what the next ideas cost', () => {
  it('full attention is quadratic in T; a window and linear attention are linear', () => {
    const full1 = attentionCost('full', 1024, 768, 12);
    const full2 = attentionCost('full', 2048, 768, 12);
    expect(full1.flops).toBe(4 * 1024 * 1024 * 768);
    expect(full2.flops / full1.flops).toBe(4);
    expect(full1.scoreEntries).toBe(12 * 1024 * 1024);
    const w1 = attentionCost('window', 1024, 768, 12, 256);
    const w2 = attentionCost('window', 2048, 768, 12, 256);
    expect(w2.flops / w1.flops).toBe(2);
    expect(attentionCost('window', 100, 768, 12, 256).flops).toBe(attentionCost('full', 100, 768, 12).flops); // a window longer than T is full attention
    const lin = attentionCost('linear', 2048, 768, 12);
    expect(lin.flops).toBe(4 * 2048 * 768 * 64);
    expect(lin.scoreEntries).toBe(12 * 64 * 64);
  });

  it('mixture of experts: parameters grow with E, per-token compute with k', () => {
    const dense = moeCost({ nEmbd: 512, experts: 1, topK: 1 });
    expect(dense.totalParams).toBe(2 * 512 * 2048 + 2048 + 512);
    const moe = moeCost({ nEmbd: 512, experts: 8, topK: 2 });
    expect(moe.totalParams).toBe(8 * dense.totalParams + 512 * 8);
    expect(moe.activeParams).toBe(2 * dense.totalParams + 512 * 8);
    expect(moe.flopsPerToken).toBe(2 * moe.activeParams);
    expect(() => moeCost({ nEmbd: 8, experts: 4, topK: 5 })).toThrow(
      /topK must be an integer in \[1, experts = 4\], got 5/,
    );
  });

  it('retrieval trades context length and an index for weights', () => {
    const r = retrievalCost({
      promptTokens: 100,
      passages: 3,
      passageTokens: 100,
      indexSize: 1_000_000,
      embeddingDim: 768,
    });
    expect(r.contextTokens).toBe(400);
    expect(r.attentionFactor).toBe(16);
    expect(r.searchFlops).toBe(2 * 768e6);
    expect(r.indexBytes).toBe(4 * 768e6);
  });

  it('names a width that heads do not divide', () => {
    expect(() => attentionCost('full', 8, 10, 3)).toThrow(/width C = 10 must be divisible by heads H = 3/);
  });
});
