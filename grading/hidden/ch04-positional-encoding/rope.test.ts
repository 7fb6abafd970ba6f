// Hidden tests of exercises/ch04-positional-encoding/rope.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { ropeRotate } from '@exercises/ch04-positional-encoding/rope';
import { randomVector, expectAllClose } from '../../../test/exercises/helpers';
import { applyRope, Rng, tf } from '@how-llms-work/lib';

describe('ch04 ropeRotate', () => {
  it('rotates a pair of D = 2 by exactly p radians', () => {
    const p = 2.5;
    expectAllClose(ropeRotate([3, -1], p), [3 * Math.cos(p) + Math.sin(p), 3 * Math.sin(p) - Math.cos(p)], 1e-9);
  });
  it('is undone by the opposite position and is linear', () => {
    const [x, y] = [randomVector(6, 41), randomVector(6, 42)];
    expectAllClose(ropeRotate(ropeRotate(x, 13), -13), x, 1e-12);
    expectAllClose(
      ropeRotate(
        x.map((v, i) => 2 * v + y[i]),
        9,
      ),
      ropeRotate(x, 9).map((v, i) => 2 * v + ropeRotate(y, 9)[i]),
      1e-12,
    );
  });
  it('rejects a length of 5, naming it', () => {
    expect(ropeRotate([], 3)).toEqual([]);
    expect(() => ropeRotate([1, 2, 3, 4, 5], 2)).toThrow(/5/);
  });
  it("equals the library's RoPE at seeded random positions and widths, keeps lengths, and scores only see p − q", () => {
    const rng = new Rng(402);
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
    for (let trial = 0; trial < 10; trial++) {
      const D = 2 * (1 + rng.int(8));
      const p = rng.int(300);
      const x = Array.from({ length: D }, () => rng.normal());
      const want = tf.tidy(() => Array.from(applyRope(tf.tensor4d(x, [1, 1, 1, D]), p).dataSync()));
      const got = ropeRotate(x, p);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 3));
      expect(Math.hypot(...got)).toBeCloseTo(Math.hypot(...x), 9);
      const y = Array.from({ length: D }, () => rng.normal());
      const k = rng.int(50);
      expect(dot(ropeRotate(x, p + k), ropeRotate(y, p))).toBeCloseTo(dot(ropeRotate(x, k), y), 6);
    }
  });
});
