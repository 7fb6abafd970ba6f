// Hidden tests of exercises/ch09-scaling/bfloat16.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { roundToBfloat16 } from '@exercises/ch09-scaling/bfloat16';
import { Rng } from '@how-llms-work/lib';

const bitsOf = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0];

describe('ch09 roundToBfloat16', () => {
  it('gives values with 16 low bits zero, within half a bfloat16 step, odd in x', () => {
    const rng = new Rng(91);
    for (let i = 0; i < 300; i++) {
      const x = Math.fround(rng.normal() * 2 ** (rng.int(60) - 30));
      const r = roundToBfloat16(x);
      expect(bitsOf(r) & 0xffff).toBe(0);
      expect(Math.abs(r - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -8);
      expect(roundToBfloat16(-x)).toBe(-r);
    }
  });
  it('breaks ties to even above 2, and rounds fp32’s largest value up to Infinity', () => {
    // Around 2 a bfloat16 step is 2^-6: 2 + 2^-7 lies halfway between 2 (even) and 2 + 2^-6 (odd).
    expect(roundToBfloat16(2 + 2 ** -7)).toBe(2);
    expect(roundToBfloat16(2 + 3 * 2 ** -7)).toBe(2 + 2 ** -5);
    expect(roundToBfloat16(3.4028234663852886e38)).toBe(Infinity);
  });
});
