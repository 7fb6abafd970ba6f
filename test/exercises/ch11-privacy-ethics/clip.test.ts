// Tests of exercises/ch11-privacy-ethics/clip.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { clipPerExample } from '@exercises/ch11-privacy-ethics/clip';
import { clipRows, Rng, tf } from '@how-llms-work/lib';
import { norm } from '../helpers';

describe('ch11 clipPerExample', () => {
  it('scales a long gradient onto the ball, keeping its direction', () => {
    const [row] = clipPerExample([[3, 4]], 1);
    expect(row[0]).toBeCloseTo(0.6, 10);
    expect(row[1]).toBeCloseTo(0.8, 10);
  });

  it('leaves a short gradient unchanged (it does not normalise)', () => {
    const [row] = clipPerExample([[0.3, 0.4]], 1);
    expect(row[0]).toBeCloseTo(0.3, 10);
    expect(row[1]).toBeCloseTo(0.4, 10);
  });

  it('clips each example on its own and matches the library on random gradients', () => {
    const rng = new Rng(7);
    const grads = Array.from({ length: 12 }, (_, i) => Array.from({ length: 9 }, () => rng.normal() * (i + 1) * 0.3));
    const got = clipPerExample(grads, 2);
    const want = clipRows(tf.tensor2d(grads), 2).arraySync();
    got.forEach((row, i) => {
      expect(norm(row)).toBeLessThanOrEqual(2 + 1e-9);
      row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 4));
    });
  });

  it('does not modify its input and rejects a non-positive norm, naming it', () => {
    const input = [[6, 8]];
    clipPerExample(input, 5);
    expect(input).toEqual([[6, 8]]);
    expect(() => clipPerExample(input, -0.5)).toThrow(/-0\.5/);
  });
});
