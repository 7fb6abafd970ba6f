// Chapter 10 exercises: a magnitude pruning mask, symmetric int8 quantization, and the distillation loss.
import { describe, expect, it } from 'vitest';
import { magnitudePruningMask } from '@exercises/ch10-compression/prune';
import { dequantizeInt8, quantizeInt8 } from '@exercises/ch10-compression/quantize';
import { distillationLoss } from '@exercises/ch10-compression/distill';
import { Rng, distillationLoss as libraryDistillationLoss, tf } from '@how-llms-work/lib';

const randomValues = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
};

describe('ch10 magnitudePruningMask', () => {
  it('prunes the smallest magnitudes, whatever their sign', () => {
    expect(magnitudePruningMask([0.5, -0.1, 2, -3, 0.2, -0.05], 0.5)).toEqual([1, 0, 1, 1, 0, 0]);
  });

  it('prunes exactly round(sparsity · n) weights, even with ties', () => {
    expect(magnitudePruningMask([1, 1, 1, 1], 0.5)).toEqual([0, 0, 1, 1]);
    const mask = magnitudePruningMask(randomValues(101, 1), 0.3);
    expect(mask.filter((m) => m === 0)).toHaveLength(30);
  });

  it('keeps everything at 0 and nothing at 1', () => {
    expect(magnitudePruningMask([3, -2, 1], 0)).toEqual([1, 1, 1]);
    expect(magnitudePruningMask([3, -2, 1], 1)).toEqual([0, 0, 0]);
  });

  it('never prunes a weight larger than one it keeps', () => {
    const w = randomValues(200, 2);
    const mask = magnitudePruningMask(w, 0.7);
    const pruned = Math.max(...w.filter((_, i) => mask[i] === 0).map(Math.abs));
    const kept = Math.min(...w.filter((_, i) => mask[i] === 1).map(Math.abs));
    expect(pruned).toBeLessThanOrEqual(kept);
  });

  it('rejects a sparsity outside [0, 1], naming it', () => {
    expect(() => magnitudePruningMask([1, 2], 1.5)).toThrow(/sparsity must be in \[0, 1\], got 1.5/);
    expect(() => magnitudePruningMask([1, 2], -0.1)).toThrow(/got -0.1/);
  });
});

describe('ch10 quantizeInt8 and dequantizeInt8', () => {
  it('maps known values (round half to even)', () => {
    const t = quantizeInt8([-1, 0, 0.5, 1]);
    expect(t.scale).toBeCloseTo(1 / 127, 12);
    expect(Array.from(t.q)).toEqual([-127, 0, 64, 127]);
    expect(Array.from(quantizeInt8([2.5, 3.5, -127]).q)).toEqual([2, 4, -127]); // scale 1: 2.5 → 2, 3.5 → 4
  });

  it('returns an Int8Array within [−127, 127] and a scale of max|x| / 127', () => {
    const w = randomValues(500, 3);
    const t = quantizeInt8(w);
    expect(t.q).toBeInstanceOf(Int8Array);
    expect(Math.min(...t.q)).toBeGreaterThanOrEqual(-127);
    expect(t.scale).toBeCloseTo(Math.max(...w.map(Math.abs)) / 127, 12);
  });

  it('round-trips every value within half a step, and zero exactly', () => {
    const w = [...randomValues(500, 4), 0];
    const t = quantizeInt8(w);
    const back = dequantizeInt8(t);
    expect(back).toBeInstanceOf(Float32Array);
    expect(back.length).toBe(w.length);
    for (let i = 0; i < w.length; i++) expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual(t.scale / 2 + 1e-7);
    expect(back[w.length - 1]).toBe(0);
  });

  it('survives all zeros without dividing by zero', () => {
    const t = quantizeInt8([0, 0, 0]);
    expect(Array.from(t.q)).toEqual([0, 0, 0]);
    expect(Array.from(dequantizeInt8(t))).toEqual([0, 0, 0]);
  });
});

describe('ch10 distillationLoss', () => {
  const logits = (seed: number, shape: [number, number], std = 2) => tf.randomNormal(shape, 0, std, 'float32', seed);

  it('is zero when the student copies the teacher and only soft targets count', () => {
    const t = logits(1, [5, 7]);
    const y = tf.zeros([5], 'int32');
    expect(distillationLoss(t, t, y, 3, 1).dataSync()[0]).toBeCloseTo(0, 6);
    tf.dispose([t, y]);
  });

  it('equals the cross-entropy when alpha is 0', () => {
    const s = logits(2, [4, 6]);
    const t = logits(3, [4, 6]);
    const y = tf.tensor1d([0, 5, 2, 2], 'int32');
    const ce = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 6), s).dataSync()[0]);
    expect(distillationLoss(s, t, y, 4, 0).dataSync()[0]).toBeCloseTo(ce, 5);
    tf.dispose([s, t, y]);
  });

  it('matches the library for several temperatures and mixes (with the τ² factor)', () => {
    const s = logits(4, [6, 9]);
    const t = logits(5, [6, 9]);
    const y = tf.tensor1d([1, 2, 3, 4, 5, 6], 'int32');
    for (const [tau, alpha] of [[1, 1], [2, 0.5], [5, 0.9]]) {
      const want = libraryDistillationLoss(s, t, y, { temperature: tau, alpha }).dataSync()[0];
      expect(distillationLoss(s, t, y, tau, alpha).dataSync()[0]).toBeCloseTo(want, 4);
    }
    tf.dispose([s, t, y]);
  });

  it('has the gradient α·τ·(softmax(s/τ) − softmax(t/τ)) / N for the soft term', () => {
    const s = logits(6, [3, 5]);
    const t = logits(7, [3, 5]);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const g = tf.grad((x: tf.Tensor) => distillationLoss(x, t, y, 3, 1))(s);
    const want = tf.tidy(() => tf.softmax(s.div(3)).sub(tf.softmax(t.div(3))).mul(3 / 3));
    expect(tf.max(tf.abs(g.sub(want))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([s, t, y, g, want]);
  });

  it('stays finite for huge logits (log-softmax, not log of softmax)', () => {
    const s = tf.tensor2d([[1000, 0, -1000]]);
    const t = tf.tensor2d([[0, 1000, -1000]]);
    const y = tf.tensor1d([1], 'int32');
    expect(Number.isFinite(distillationLoss(s, t, y, 1, 0.5).dataSync()[0])).toBe(true);
    tf.dispose([s, t, y]);
  });
});
