import { describe, expect, it } from 'vitest';
import {
  bfloat16Bits,
  float16Bits,
  formatDamage,
  roundArrayToFormat,
  roundTensorToFormat,
  roundToFormat,
  tf,
} from '@how-llms-work/lib';

// Bit patterns checked against numpy: np.float16(x).view(np.uint16) and torch's bfloat16.
describe('fp16 rounding', () => {
  it('stores known values with the IEEE half bit patterns', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(1 / 3)).toBe(0x3555);
    expect(float16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(float16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float16Bits(Infinity)).toBe(0x7c00);
  });

  it('rounds ties to even, including in the subnormal range', () => {
    expect(roundToFormat(1 + 2 ** -11, 'fp16')).toBe(1); // halfway between 1 and 1+2^-10: even is 1
    expect(roundToFormat(1 + 3 * 2 ** -11, 'fp16')).toBe(1 + 2 ** -9); // halfway, even is the upper one
    expect(roundToFormat(2 ** -25, 'fp16')).toBe(0); // half the smallest subnormal: ties to 0
    expect(roundToFormat(3 * 2 ** -26, 'fp16')).toBe(2 ** -24);
    expect(roundToFormat(1e-8, 'fp16')).toBe(0); // gradient underflow
    expect(roundToFormat(-1e-8, 'fp16')).toBe(-0);
  });

  it('overflows past 65504 exactly where IEEE does', () => {
    expect(roundToFormat(65519, 'fp16')).toBe(65504);
    expect(roundToFormat(65520, 'fp16')).toBe(Infinity); // the tie rounds to the even neighbour 65536, out of range
    expect(roundToFormat(-70000, 'fp16')).toBe(-Infinity);
    expect(roundToFormat(NaN, 'fp16')).toBeNaN();
  });
});

describe('bf16 rounding', () => {
  it('keeps fp32 exponent range with 8 bits of precision', () => {
    expect(bfloat16Bits(1)).toBe(0x3f80);
    expect(bfloat16Bits(0.1)).toBe(0x3dcd);
    expect(bfloat16Bits(1 / 3)).toBe(0x3eab);
    expect(bfloat16Bits(65504)).toBe(0x4780); // 65536 in bf16
    expect(roundToFormat(1e-8, 'bf16')).toBeGreaterThan(0); // no underflow where fp16 has one
    expect(roundToFormat(1 + 2 ** -8, 'bf16')).toBe(1); // tie to even
    expect(roundToFormat(Math.fround(3e38), 'bf16')).toBe(226 * 2 ** 120); // torch: 3.00405527047391e+38
    expect(roundToFormat(3.4e38, 'bf16')).toBe(Infinity);
  });

  it('rounds arrays and tensors elementwise and leaves fp32 alone', () => {
    const xs = [0.1, 1 / 3, 1e-8, 70000];
    expect(Array.from(roundArrayToFormat(xs, 'fp16'))).toEqual(xs.map((x) => roundToFormat(x, 'fp16')));
    const t = tf.tensor2d([
      [0.1, 1 / 3],
      [1e-8, 3],
    ]);
    const r = roundTensorToFormat(t, 'bf16');
    expect(r.shape).toEqual([2, 2]);
    expect(Array.from(r.dataSync())).toEqual(Array.from(t.dataSync()).map((x) => roundToFormat(x, 'bf16')));
    expect(Array.from(roundTensorToFormat(t, 'fp32').dataSync())).toEqual(Array.from(t.dataSync()));
    tf.dispose([t, r]);
  });

  it('counts underflow, overflow and relative error', () => {
    const d = formatDamage([1e-9, 1e-8, 0.5, 1e5, 0], 'fp16');
    expect(d.flushedToZero).toBe(2);
    expect(d.overflowed).toBe(1);
    expect(d.underflowFraction).toBeCloseTo(0.5);
    expect(formatDamage([1 / 3], 'bf16').maxRelativeError).toBeLessThan(2 ** -8);
    expect(formatDamage([1 / 3], 'bf16').maxRelativeError).toBeGreaterThan(2 ** -12);
    expect(() => roundToFormat(1, 'fp8' as never)).toThrow(/unknown float format "fp8"/);
  });
});
