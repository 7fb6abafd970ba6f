// Tests of exercises/ch04-positional-encoding/sinusoidal.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { sinusoidalTable } from '@exercises/ch04-positional-encoding/sinusoidal';
import { sinusoidalValues } from '@how-llms-work/lib';
import { expectAllClose } from '../helpers';

describe('ch04 sinusoidalTable', () => {
  it('has shape T × C and starts at [0, 1, 0, 1, …] for position 0', () => {
    const pe = sinusoidalTable(3, 6);
    expect(pe.length).toBe(3);
    expect(pe.every((row) => row.length === 6)).toBe(true);
    expectAllClose(pe[0], [0, 1, 0, 1, 0, 1]);
  });

  it('puts sin on even columns and cos on odd ones (the worked example)', () => {
    expectAllClose(sinusoidalTable(2, 4)[1], [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)]);
  });

  it('uses the frequency 10000^(−2i/C) for the pair i', () => {
    const pe = sinusoidalTable(50, 8);
    for (const p of [7, 49])
      expectAllClose(
        pe[p],
        [0, 1, 2, 3].flatMap((i) => [Math.sin(p * 10000 ** ((-2 * i) / 8)), Math.cos(p * 10000 ** ((-2 * i) / 8))]),
      );
  });

  it("matches the library's table, odd widths included", () => {
    for (const [T, C] of [
      [16, 32],
      [5, 7],
    ])
      expectAllClose(sinusoidalTable(T, C).flat(), sinusoidalValues(T, C), 1e-5);
  });
});
