// Hidden tests of exercises/ch05-attention/softmax.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { stableSoftmax } from '@exercises/ch05-attention/softmax';
import { tf } from '@how-llms-work/lib';
import { softmaxJs } from '../../../test/exercises/helpers';

describe('ch05 stableSoftmax', () => {
  it('softmaxes each row on its own, whatever constant shifts the row', () => {
    const rows = [
      [0.5, -1, 2],
      [3, 3, 0],
    ];
    const shifted = tf.tensor2d([rows[0].map((x) => x + 5000), rows[1].map((x) => x - 3000)]);
    const got = stableSoftmax(shifted).arraySync() as number[][];
    rows.forEach((row, i) => softmaxJs(row).forEach((p, j) => expect(got[i][j]).toBeCloseTo(p, 5)));
  });
  it('gives 1 for a single logit and handles a 4-D tensor with −Infinity entries', () => {
    expect(Array.from(stableSoftmax(tf.tensor1d([-7])).dataSync())).toEqual([1]);
    const x = tf.tensor4d([[[[-Infinity, 0, 0]], [[1, -Infinity, -Infinity]]]]); // (1, 2, 1, 3)
    const p = stableSoftmax(x);
    expect(p.shape).toEqual([1, 2, 1, 3]);
    expect(Array.from(p.dataSync())).toEqual([0, 0.5, 0.5, 1, 0, 0]);
  });
});
