// Chapter 7 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, perplexityFromLoss } from '@exercises/ch07-pretraining/cross-entropy';
import { shiftedBatch } from '@exercises/ch07-pretraining/shifted-batch';
import { learningRateAt } from '@exercises/ch07-pretraining/lr-schedule';
import { tf } from '@how-llms-work/lib';

const valueOf = (logits: number[][], targets: number[]) =>
  tf.tidy(() => crossEntropyLoss(tf.tensor2d(logits), tf.tensor1d(targets, 'int32')).dataSync()[0]);

describe('ch07 cross-entropy and perplexity', () => {
  it('is −log softmax(row)[target], averaged, checked by hand', () => {
    const rows = [[1, 2, 3], [0.5, -1, 0]];
    const targets = [2, 1];
    const nll = rows.map((r, i) => Math.log(r.reduce((s, x) => s + Math.exp(x), 0)) - r[targets[i]]);
    expect(valueOf(rows, targets)).toBeCloseTo((nll[0] + nll[1]) / 2, 5);
  });
  it('does not change when a constant is added to a row, even a huge one', () => {
    const rows = [[0.3, -0.2, 1.1, 0], [2, 0, -2, 1]];
    const want = valueOf(rows, [3, 0]);
    expect(valueOf([rows[0].map((x) => x + 500), rows[1].map((x) => x - 800)], [3, 0])).toBeCloseTo(want, 3);
  });
  it('perplexity is e for a loss of 1 and rejects NaN and Infinity, naming them', () => {
    expect(perplexityFromLoss(1)).toBeCloseTo(Math.E, 12);
    expect(() => perplexityFromLoss(Number.NaN)).toThrow(/NaN/);
    expect(() => perplexityFromLoss(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
  });
});

describe('ch07 shifted batch', () => {
  it('gives an empty batch for no starts, repeats a start, and handles blockSize 1', () => {
    expect(shiftedBatch([4, 5, 6], [], 2)).toEqual({ x: [], y: [] });
    expect(shiftedBatch([4, 5, 6], [1, 0, 1], 1)).toEqual({ x: [[5], [4], [5]], y: [[6], [5], [6]] });
  });
  it('leaves the stream alone and rejects a fractional start, naming it', () => {
    const ids = [9, 8, 7, 6];
    expect(shiftedBatch(ids, [0], 3).x).toEqual([[9, 8, 7]]);
    expect(ids).toEqual([9, 8, 7, 6]);
    expect(() => shiftedBatch(ids, [0.5], 2)).toThrow(/0\.5/);
  });
});

describe('ch07 learning-rate schedule', () => {
  it('with no warm-up, starts at maxLr', () => {
    const o = { maxLr: 2e-3, minLr: 0, warmupSteps: 0, decaySteps: 10 };
    expect(learningRateAt(0, o)).toBeCloseTo(2e-3, 12);
    expect(learningRateAt(5, o)).toBeCloseTo(1e-3, 12);
  });
  it('rises during warm-up, falls after, and the cosine is symmetric about its midpoint', () => {
    const o = { maxLr: 1, minLr: 0.2, warmupSteps: 8, decaySteps: 40 };
    for (let s = 0; s < 7; s++) expect(learningRateAt(s + 1, o)).toBeGreaterThan(learningRateAt(s, o));
    for (let s = 8; s < 40; s++) expect(learningRateAt(s + 1, o)).toBeLessThan(learningRateAt(s, o));
    for (let t = 0; t <= 32; t += 4) expect(learningRateAt(8 + t, o) + learningRateAt(40 - t, o)).toBeCloseTo(1.2, 12);
  });
});
