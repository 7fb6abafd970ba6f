// Tests of exercises/ch09-scaling/memory.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { adamMemory } from '@exercises/ch09-scaling/memory';

describe('ch09 adamMemory', () => {
  it('needs 16 bytes per parameter in fp32: 4 weights, 4 gradients, 8 moments', () => {
    expect(adamMemory(1000, 'fp32')).toEqual({ weights: 4000, gradients: 4000, optimizer: 8000, total: 16000 });
  });

  it('needs 16 bytes per parameter in mixed precision too: 2 + 2 + 12', () => {
    expect(adamMemory(1e9, 'mixed')).toEqual({ weights: 2e9, gradients: 2e9, optimizer: 12e9, total: 16e9 });
  });

  it('puts GPT-3 175B far beyond one 80 GB GPU', () => {
    const { total } = adamMemory(175e9, 'mixed');
    expect(total).toBe(2.8e12);
    expect(Math.ceil(total / 80e9)).toBe(35);
  });

  it('rejects an unknown precision, naming it', () => {
    expect(() => adamMemory(10, 'fp8' as never)).toThrow(/precision must be "fp32" or "mixed", got fp8/);
  });
});
