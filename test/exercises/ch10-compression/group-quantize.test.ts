// Tests of exercises/ch10-compression/group-quantize.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { dequantizeGroups, quantizeGroups } from '@exercises/ch10-compression/group-quantize';
import { quantizeTensor, tf } from '@how-llms-work/lib';

describe('ch10 quantizeGroups and dequantizeGroups', () => {
  it('quantizes the worked example, rounding half to even', () => {
    const t = quantizeGroups(tf.tensor2d([[0.875, -0.4375, 0.3125, 7]]), 2);
    expect(Array.from(t.scale)).toEqual([0.125, 1]);
    expect(Array.from(t.q)).toEqual([7, -4, 0, 7]);
    expect(t.q).toBeInstanceOf(Int8Array);
    expect(Array.from(dequantizeGroups(t).dataSync())).toEqual([0.875, -0.5, 0, 7]);
    expect(Array.from(quantizeGroups(tf.tensor2d([[7, 2.5, 3.5, -1.5]]), 4).q)).toEqual([7, 2, 4, -2]);
  });

  it("equals the library's per-group int4 quantization on a random weight", () => {
    const w = tf.randomNormal([8, 32], 0, 0.05, 'float32', 1) as tf.Tensor2D;
    const mine = quantizeGroups(w, 8);
    const library = quantizeTensor(w, { bits: 4, scheme: 'symmetric', granularity: 'group', groupSize: 8 });
    expect(Array.from(mine.scale)).toEqual(Array.from(library.scale));
    expect(Array.from(mine.q)).toEqual(Array.from(library.q));
  });

  it('round-trips every weight within half its group’s step, keeping zero exact', () => {
    const w = tf.randomNormal([4, 64], 0, 1, 'float32', 2) as tf.Tensor2D;
    const t = quantizeGroups(w, 16);
    const back = dequantizeGroups(t);
    expect(back.shape).toEqual([4, 64]);
    const a = w.dataSync();
    const b = back.dataSync();
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(t.scale[Math.floor(i / 16)] / 2 + 1e-6);
    expect(Array.from(dequantizeGroups(quantizeGroups(tf.zeros([2, 4]) as tf.Tensor2D, 2)).dataSync())).toEqual(
      new Array(8).fill(0),
    );
  });

  it('refuses a group size that does not divide the columns, naming both', () => {
    expect(() => quantizeGroups(tf.zeros([2, 10]) as tf.Tensor2D, 4)).toThrow(/4[\s\S]*10|10[\s\S]*4/);
  });
});
