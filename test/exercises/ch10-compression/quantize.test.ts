// Tests of exercises/ch10-compression/quantize.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { dequantizeInt8, quantizeInt8 } from '@exercises/ch10-compression/quantize';
import { randomVector } from '../helpers';

describe('ch10 quantizeInt8 and dequantizeInt8', () => {
  it('maps known values (round half to even)', () => {
    const t = quantizeInt8([-1, 0, 0.5, 1]);
    expect(t.scale).toBeCloseTo(1 / 127, 12);
    expect(Array.from(t.q)).toEqual([-127, 0, 64, 127]);
    expect(Array.from(quantizeInt8([2.5, 3.5, -127]).q)).toEqual([2, 4, -127]); // scale 1: 2.5 → 2, 3.5 → 4
  });

  it('returns an Int8Array within [−127, 127] and a scale of max|x| / 127', () => {
    const w = randomVector(500, 3);
    const t = quantizeInt8(w);
    expect(t.q).toBeInstanceOf(Int8Array);
    expect(Math.min(...t.q)).toBeGreaterThanOrEqual(-127);
    expect(t.scale).toBeCloseTo(Math.max(...w.map(Math.abs)) / 127, 12);
  });

  it('round-trips every value within half a step, and zero exactly', () => {
    const w = [...randomVector(500, 4), 0];
    const t = quantizeInt8(w);
    const back = dequantizeInt8(t);
    expect(back).toBeInstanceOf(Float32Array);
    expect(back.length).toBe(w.length);
    for (let i = 0; i < w.length; i++) expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual(t.scale / 2 + 1e-7);
    expect(back[w.length - 1]).toBe(0);
  });

  it('survives all zeros without dividing by zero', () => {
    const t = quantizeInt8([0, 0, 0]);
    expect(Array.from(t.q)).toEqual([0, 0, 0]);
    expect(Array.from(dequantizeInt8(t))).toEqual([0, 0, 0]);
  });
});
