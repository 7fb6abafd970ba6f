// Chapter 13, the DPO loss: against the library and a float64 formula.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { dpoLoss } from '@exercises/ch13-assistant/dpo';
const tf = L.tf;

describe('ch13 dpoLoss', () => {
  it('follows the worked example', () => {
    const t = (v: number) => tf.tensor1d([v]);
    expect(dpoLoss(t(-1), t(-3), t(-2), t(-2), 1).dataSync()[0]).toBeCloseTo(Math.log1p(Math.exp(-2)), 5);
  });

  it('matches the library on random log-probs for several betas', () => {
    const rng = new L.Rng(3);
    for (const beta of [0.1, 1, 4]) {
      const draw = () => tf.tensor1d(Array.from({ length: 5 }, () => -20 * rng.next()));
      const [a, b, c, d] = [draw(), draw(), draw(), draw()];
      const want = L.dpoLoss(a, b, c, d, beta).loss.dataSync()[0];
      expect(dpoLoss(a, b, c, d, beta).dataSync()[0]).toBeCloseTo(want, 5);
    }
  });

  it('refuses a non-positive beta', () => {
    const z = tf.tensor1d([0]);
    expect(() => dpoLoss(z, z, z, z, 0)).toThrow(/beta|β/i);
  });
});
