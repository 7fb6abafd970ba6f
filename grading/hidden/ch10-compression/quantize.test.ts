// Hidden tests of exercises/ch10-compression/quantize.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { dequantizeInt8, quantizeInt8 } from '@exercises/ch10-compression/quantize';
import { randomVector } from '../../../test/exercises/helpers';

describe('ch10 quantizeInt8 and dequantizeInt8', () => {
  it('rounds half to even with a scale of 1, on a Float32Array', () => {
    const t = quantizeInt8(Float32Array.from([127, 0.5, 1.5, -2.5, -0.5, 126.5]));
    expect(t.scale).toBe(1);
    expect(Array.from(t.q)).toEqual([127, 0, 2, -2, 0, 126]);
  });
  it('scales the scale, not the integers, when the input is scaled by a power of two', () => {
    const w = randomVector(50, 102);
    const [a, b] = [quantizeInt8(w), quantizeInt8(w.map((x) => x * 8))];
    expect(Array.from(b.q)).toEqual(Array.from(a.q));
    expect(b.scale).toBeCloseTo(8 * a.scale, 12);
    expect(Math.max(...Array.from(a.q, Math.abs))).toBe(127);
  });
  it('dequantizes a hand-made tensor to scale · q', () => {
    expect(Array.from(dequantizeInt8({ q: Int8Array.from([1, -2, 127, 0]), scale: 0.5 }))).toEqual([0.5, -1, 63.5, 0]);
  });
});
