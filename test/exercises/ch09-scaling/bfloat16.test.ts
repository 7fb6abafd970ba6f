// Tests of exercises/ch09-scaling/bfloat16.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { roundToBfloat16 } from '@exercises/ch09-scaling/bfloat16';
import { Rng, roundToFormat } from '@how-llms-work/lib';

describe('ch09 roundToBfloat16', () => {
  it('keeps values bfloat16 can hold', () => {
    for (const x of [0, 1, -2, 0.5, 3.5, 2 ** 100, -(2 ** -100)]) expect(roundToBfloat16(x)).toBe(x);
  });

  it('rounds to nearest: 1/3 → 0.333984375, 0.1 → 0.10009765625', () => {
    expect(roundToBfloat16(1 / 3)).toBe(0.333984375);
    expect(roundToBfloat16(0.1)).toBe(0.10009765625);
    expect(roundToBfloat16(65504)).toBe(65536);
  });

  it('breaks ties to even', () => {
    expect(roundToBfloat16(1 + 2 ** -8)).toBe(1);
    expect(roundToBfloat16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
  });

  it('agrees with the library on thousands of values of every size, and passes NaN and infinities', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const x = Math.fround(rng.normal() * 2 ** (rng.int(200) - 100));
      expect(roundToBfloat16(x)).toBe(roundToFormat(x, 'bf16'));
    }
    expect(roundToBfloat16(NaN)).toBeNaN();
    expect(roundToBfloat16(-Infinity)).toBe(-Infinity);
  });
});
