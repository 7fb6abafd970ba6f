// Hidden tests of exercises/ch07-pretraining/cross-entropy.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, perplexityFromLoss } from '@exercises/ch07-pretraining/cross-entropy';
import { tf } from '@how-llms-work/lib';

const valueOf = (logits: number[][], targets: number[]) =>
  tf.tidy(() => crossEntropyLoss(tf.tensor2d(logits), tf.tensor1d(targets, 'int32')).dataSync()[0]);

describe('ch07 cross-entropy and perplexity', () => {
  it('is −log softmax(row)[target], averaged, checked by hand', () => {
    const rows = [
      [1, 2, 3],
      [0.5, -1, 0],
    ];
    const targets = [2, 1];
    const nll = rows.map((r, i) => Math.log(r.reduce((s, x) => s + Math.exp(x), 0)) - r[targets[i]]);
    expect(valueOf(rows, targets)).toBeCloseTo((nll[0] + nll[1]) / 2, 5);
  });
  it('does not change when a constant is added to a row, even a huge one', () => {
    const rows = [
      [0.3, -0.2, 1.1, 0],
      [2, 0, -2, 1],
    ];
    const want = valueOf(rows, [3, 0]);
    expect(valueOf([rows[0].map((x) => x + 500), rows[1].map((x) => x - 800)], [3, 0])).toBeCloseTo(want, 3);
  });
  it('perplexity is e for a loss of 1 and rejects NaN and Infinity, naming them', () => {
    expect(perplexityFromLoss(1)).toBeCloseTo(Math.E, 12);
    expect(() => perplexityFromLoss(Number.NaN)).toThrow(/NaN/);
    expect(() => perplexityFromLoss(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
  });
});
