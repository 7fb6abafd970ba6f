// Tests of exercises/ch04-positional-encoding/shift.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { shiftMatrix } from '@exercises/ch04-positional-encoding/shift';
import { sinusoidalValues } from '@how-llms-work/lib';
import { matVec, expectAllClose } from '../helpers';

describe('ch04 shiftMatrix', () => {
  it('is the identity for k = 0', () => {
    const M = shiftMatrix(0, 4);
    expectAllClose(M.flat(), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('moves PE(p) to PE(p + k) for every p with one matrix', () => {
    const C = 16;
    const M = shiftMatrix(5, C);
    const pe = (p: number) => Array.from(sinusoidalValues(1, C, p));
    for (const p of [0, 1, 17, 250]) expectAllClose(matVec(M, pe(p)), pe(p + 5), 1e-5);
  });

  it('is orthogonal (a rotation: Mᵀ M = I), so it keeps the encoding’s length', () => {
    const M = shiftMatrix(3, 8);
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        const v = M.reduce((s, row) => s + row[i] * row[j], 0);
        expect(Math.abs(v - (i === j ? 1 : 0))).toBeLessThan(1e-9);
      }
  });

  it('composes: shifting by 2 then 3 is shifting by 5', () => {
    const [A, B, C5] = [shiftMatrix(2, 6), shiftMatrix(3, 6), shiftMatrix(5, 6)];
    const BA = B.map((row) => A[0].map((_, j) => row.reduce((s, b, m) => s + b * A[m][j], 0)));
    expectAllClose(BA.flat(), C5.flat(), 1e-9);
  });

  it('rejects an odd width, naming it', () => {
    expect(() => shiftMatrix(1, 5)).toThrow(/5/);
    expect(() => shiftMatrix(1, 5)).not.toThrow(/TODO/);
  });
});
