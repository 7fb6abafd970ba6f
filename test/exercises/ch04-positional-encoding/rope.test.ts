// Tests of exercises/ch04-positional-encoding/rope.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { ropeRotate } from '@exercises/ch04-positional-encoding/rope';
import { applyRope, tf } from '@how-llms-work/lib';
import { randomVector, dot, expectAllClose } from '../helpers';

describe('ch04 ropeRotate', () => {
  it('rotates each adjacent pair (the worked example)', () => {
    expectAllClose(ropeRotate([1, 0, 1, 0], 1), [Math.cos(1), Math.sin(1), Math.cos(0.01), Math.sin(0.01)]);
  });

  it('leaves position 0 unchanged and does not modify its input', () => {
    const x = randomVector(8, 1);
    const copy = [...x];
    expectAllClose(ropeRotate(x, 0), x);
    ropeRotate(x, 5);
    expect(x).toEqual(copy);
  });

  it('preserves the length of the vector (a rotation)', () => {
    const x = randomVector(16, 2);
    const y = ropeRotate(x, 37);
    expect(Math.abs(Math.hypot(...y) - Math.hypot(...x))).toBeLessThan(1e-9);
  });

  it('makes q·k depend only on the distance between positions', () => {
    const q = randomVector(8, 3);
    const k = randomVector(8, 4);
    const a = dot(ropeRotate(q, 10), ropeRotate(k, 7));
    const b = dot(ropeRotate(q, 103), ropeRotate(k, 100));
    expect(Math.abs(a - b)).toBeLessThan(1e-9);
    expect(Math.abs(a - dot(ropeRotate(q, 10), ropeRotate(k, 8)))).toBeGreaterThan(1e-3);
  });

  it("matches the library's applyRope at several positions", () => {
    const D = 8;
    const rows = [0, 1, 2, 3, 4].map((p) => randomVector(D, 10 + p));
    const x = tf.tensor4d(rows.flat(), [1, 1, 5, D]);
    const ours = applyRope(x, 3).dataSync();
    rows.forEach((row, t) => expectAllClose(ropeRotate(row, t + 3), ours.slice(t * D, (t + 1) * D), 1e-5));
    x.dispose();
  });

  it('rejects an odd length, naming it', () => {
    expect(() => ropeRotate([1, 2, 3], 1)).toThrow(/3/);
    expect(() => ropeRotate([1, 2, 3], 1)).not.toThrow(/TODO/);
  });
});
