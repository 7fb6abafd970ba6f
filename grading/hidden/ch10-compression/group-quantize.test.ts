// Hidden tests of exercises/ch10-compression/group-quantize.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { dequantizeGroups, quantizeGroups } from '@exercises/ch10-compression/group-quantize';
import { dequantizeTensor, quantizeTensor, Rng, tf } from '@how-llms-work/lib';

describe('ch10 quantizeGroups and dequantizeGroups', () => {
  it('equals the library for random shapes, group sizes and widths from 2 to 8 bits', () => {
    const rng = new Rng(1010);
    for (let trial = 0; trial < 12; trial++) {
      const groupSize = [1, 2, 4, 8, 16][rng.int(5)];
      const bits = 2 + rng.int(7);
      const w = tf.randomNormal(
        [1 + rng.int(6), groupSize * (1 + rng.int(6))],
        0,
        0.1 + rng.int(5),
        'float32',
        trial,
      ) as tf.Tensor2D;
      const mine = quantizeGroups(w, groupSize, bits);
      const library = quantizeTensor(w, { bits, scheme: 'symmetric', granularity: 'group', groupSize });
      expect(Array.from(mine.scale)).toEqual(Array.from(library.scale));
      expect(Array.from(mine.q)).toEqual(Array.from(library.q));
      expect(Math.max(...Array.from(mine.q, Math.abs))).toBeLessThanOrEqual(2 ** (bits - 1) - 1);
      expect(Array.from(dequantizeGroups(mine).dataSync())).toEqual(Array.from(dequantizeTensor(library).dataSync()));
    }
  });

  it('is idempotent: quantizing the dequantized weight gives the same integers and scales', () => {
    const w = tf.randomNormal([6, 24], 0, 1, 'float32', 77) as tf.Tensor2D;
    const once = quantizeGroups(w, 8);
    const twice = quantizeGroups(dequantizeGroups(once), 8);
    expect(Array.from(twice.q)).toEqual(Array.from(once.q));
    for (let g = 0; g < once.scale.length; g++) expect(twice.scale[g]).toBeCloseTo(once.scale[g], 6);
  });

  it('scales with the weight: 4·w gives the same integers and 4× the scales; an outlier coarsens only its own group', () => {
    const w = tf.randomNormal([3, 16], 0, 1, 'float32', 78) as tf.Tensor2D;
    const base = quantizeGroups(w, 4);
    const scaled = quantizeGroups(w.mul(4) as tf.Tensor2D, 4);
    expect(Array.from(scaled.q)).toEqual(Array.from(base.q));
    expect(Array.from(scaled.scale)).toEqual(Array.from(base.scale, (s) => Math.fround(4 * s)));
    const spiked = w.arraySync();
    spiked[1][5] = 1000;
    const withOutlier = quantizeGroups(tf.tensor2d(spiked), 4);
    for (let g = 0; g < base.scale.length; g++) {
      if (g === 5) expect(withOutlier.scale[g]).toBeCloseTo(1000 / 7, 3);
      else expect(withOutlier.scale[g]).toBe(base.scale[g]);
    }
  });

  it('makes the finest grid at 8 bits and the coarsest at 2: the error grows as bits shrink', () => {
    const w = tf.randomNormal([4, 32], 0, 1, 'float32', 79) as tf.Tensor2D;
    const err = (bits: number) =>
      tf.tidy(() => tf.mean(tf.abs(dequantizeGroups(quantizeGroups(w, 8, bits)).sub(w))).dataSync()[0]);
    expect(err(8)).toBeLessThan(err(4));
    expect(err(4)).toBeLessThan(err(2));
    expect(() => quantizeGroups(w, 8, 9)).toThrow(/9/);
    expect(() => quantizeGroups(w, 0)).toThrow(/0/);
  });
});
