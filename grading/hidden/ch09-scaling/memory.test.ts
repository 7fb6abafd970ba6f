// Hidden tests of exercises/ch09-scaling/memory.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { adamMemory } from '@exercises/ch09-scaling/memory';

describe('ch09 adamMemory', () => {
  it('needs 16 bytes per parameter in both precisions, split differently', () => {
    for (const n of [1, 7, 123_456]) {
      const [a, b] = [adamMemory(n, 'fp32'), adamMemory(n, 'mixed')];
      expect(a.total).toBe(16 * n);
      expect(b.total).toBe(16 * n);
      expect(a.weights + a.gradients + a.optimizer).toBe(a.total);
      expect([b.weights, b.gradients, b.optimizer]).toEqual([2 * n, 2 * n, 12 * n]);
    }
  });
  it('needs nothing for zero parameters and names an unknown precision', () => {
    expect(adamMemory(0, 'fp32')).toEqual({ weights: 0, gradients: 0, optimizer: 0, total: 0 });
    expect(() => adamMemory(10, 'bf16' as never)).toThrow(/got bf16/);
  });
});
