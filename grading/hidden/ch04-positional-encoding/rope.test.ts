// Hidden tests of exercises/ch04-positional-encoding/rope.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { ropeRotate } from '@exercises/ch04-positional-encoding/rope';
import { randomVector, expectAllClose } from '../../../test/exercises/helpers';

describe('ch04 ropeRotate', () => {
  it('rotates a pair of D = 2 by exactly p radians', () => {
    const p = 2.5;
    expectAllClose(ropeRotate([3, -1], p), [3 * Math.cos(p) + Math.sin(p), 3 * Math.sin(p) - Math.cos(p)], 1e-9);
  });
  it('is undone by the opposite position and is linear', () => {
    const [x, y] = [randomVector(6, 41), randomVector(6, 42)];
    expectAllClose(ropeRotate(ropeRotate(x, 13), -13), x, 1e-12);
    expectAllClose(ropeRotate(x.map((v, i) => 2 * v + y[i]), 9), ropeRotate(x, 9).map((v, i) => 2 * v + ropeRotate(y, 9)[i]), 1e-12);
  });
  it('rejects a length of 5, naming it', () => {
    expect(ropeRotate([], 3)).toEqual([]);
    expect(() => ropeRotate([1, 2, 3, 4, 5], 2)).toThrow(/5/);
  });
});
