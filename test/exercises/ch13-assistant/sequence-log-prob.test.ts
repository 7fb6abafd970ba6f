// Chapter 13, a reply's log-probability: against the library on random logits.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { sequenceLogProb } from '@exercises/ch13-assistant/sequence-log-prob';
const tf = L.tf;

describe('ch13 sequenceLogProb', () => {
  it('follows the worked example', () => {
    const got = sequenceLogProb(tf.zeros([1, 3, 4]) as L.tf.Tensor3D, tf.tensor2d([[2, -1, 0]], undefined, 'int32'));
    expect(got.shape).toEqual([1]);
    expect(got.dataSync()[0]).toBeCloseTo(2 * Math.log(0.25), 5);
  });

  it('matches the library on random logits and masks', () => {
    const logits = tf.randomNormal([3, 5, 7], 0, 3, 'float32', 2) as L.tf.Tensor3D;
    const targets = tf.tensor2d(
      [
        [1, 2, -1, 6, 0],
        [-1, -1, -1, 3, 3],
        [-1, -1, -1, -1, -1],
      ],
      undefined,
      'int32',
    );
    const got = Array.from(sequenceLogProb(logits, targets).dataSync());
    const want = Array.from(L.sequenceLogProb(logits, targets).dataSync());
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
  });
});
