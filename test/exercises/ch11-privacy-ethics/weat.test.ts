// Tests of exercises/ch11-privacy-ethics/weat.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { associationEffectSize } from '@exercises/ch11-privacy-ethics/weat';
import { Rng, weatEffectSize } from '@how-llms-work/lib';

describe('ch11 associationEffectSize', () => {
  const A = [[1, 0]];
  const B = [[0, 1]];
  const X = [
    [1, 0],
    [0.8, 0.6],
  ];
  const Y = [
    [0, 1],
    [0.6, 0.8],
  ];

  it('gives the worked example: 1.2 / √(2.08 / 3)', () => {
    expect(associationEffectSize(X, Y, A, B)).toBeCloseTo(1.2 / Math.sqrt(2.08 / 3), 8);
  });

  it('flips sign when the targets swap and ignores vector length (it uses cosines)', () => {
    const d = associationEffectSize(X, Y, A, B);
    expect(associationEffectSize(Y, X, A, B)).toBeCloseTo(-d, 8);
    expect(
      associationEffectSize(
        X.map((v) => v.map((x) => 5 * x)),
        Y,
        A.map((v) => v.map((x) => 0.2 * x)),
        B,
      ),
    ).toBeCloseTo(d, 8);
  });

  it('uses the sample standard deviation and mean cosines over several attribute words', () => {
    const rng = new Rng(5);
    const vec = () => Array.from({ length: 10 }, () => rng.normal());
    const sets = Array.from({ length: 4 }, () => Array.from({ length: 5 }, vec));
    const [x, y, a, b] = sets;
    expect(associationEffectSize(x, y, a, b)).toBeCloseTo(weatEffectSize(x, y, a, b), 6);
  });
});
