import { describe, expect, it } from 'vitest';
import { Rng, sampleLMBatch, shiftedWindows, splitTokenIds, tf } from '@how-llms-work/lib';

describe('language-model batches', () => {
  it('shifts targets by one: y[t] = x[t + 1], and y ends one past the window', () => {
    const ids = Array.from({ length: 50 }, (_, i) => i * 3);
    const { x, y } = shiftedWindows(ids, [0, 10], 4);
    expect(Array.from(x)).toEqual([0, 3, 6, 9, 30, 33, 36, 39]);
    expect(Array.from(y)).toEqual([3, 6, 9, 12, 33, 36, 39, 42]);
    expect(() => shiftedWindows(ids, [46], 4)).toThrow(/window start 46 needs 5 tokens.*\[0, 45\]/);
  });

  it('draws (B, T) int32 windows from the stream, reproducibly for one seed', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    const a = sampleLMBatch(ids, 8, 16, new Rng(7));
    const b = sampleLMBatch(ids, 8, 16, new Rng(7));
    const c = sampleLMBatch(ids, 8, 16, new Rng(8));
    expect(a.x.shape).toEqual([8, 16]);
    expect(a.x.dtype).toBe('int32');
    const ax = a.x.arraySync();
    const ay = a.y.arraySync();
    for (let r = 0; r < 8; r++) for (let t = 0; t < 16; t++) expect(ay[r][t]).toBe(ax[r][t] + 1);
    expect(ax).toEqual(b.x.arraySync());
    expect(ax).not.toEqual(c.x.arraySync());
    tf.dispose([a, b, c] as unknown as tf.Tensor[]);
  });

  it('can reach the last window of the stream', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i);
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const { x, y } = sampleLMBatch(ids, 1, 4, rng);
      seen.add(x.dataSync()[0]);
      tf.dispose([x, y]);
    }
    expect(seen).toEqual(new Set([0, 1, 2, 3, 4, 5])); // start 5: x = 5..8, y = 6..9
    expect(() => sampleLMBatch(ids, 1, 10, rng)).toThrow(/at least 11 tokens/);
  });

  it('splits contiguously into train, val and test', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const s = splitTokenIds(ids, { val: 0.1, test: 0.05 });
    expect([s.train.length, s.val.length, s.test.length]).toEqual([85, 10, 5]);
    expect(s.val[0]).toBe(85);
    expect(s.test[0]).toBe(95);
    expect(() => splitTokenIds(ids, { val: 0.6, test: 0.4 })).toThrow(/leave some training data/);
  });
});
