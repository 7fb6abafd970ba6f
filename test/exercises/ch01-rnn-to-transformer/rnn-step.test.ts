// Tests of exercises/ch01-rnn-to-transformer/rnn-step.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { rnnStep } from '@exercises/ch01-rnn-to-transformer/rnn-step';
import { initRecurrent, rnnCell, tf } from '@how-llms-work/lib';
import { randn, maxDiff } from '../helpers';

describe('ch01 rnnStep', () => {
  it('gives the worked example', () => {
    const h = rnnStep(
      tf.tensor2d([[1, 0]]),
      tf.tensor2d([[0, 1]]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [0, 1],
        [1, 0],
      ]),
      tf.tensor1d([0, 0]),
    );
    expect(maxDiff(h, tf.tensor2d([[Math.tanh(2), 0]]))).toBeLessThan(1e-6);
  });

  it('uses the weights in PyTorch layout (multiplies by the transpose) and adds the bias', () => {
    const wIh = tf.tensor2d([
      [0, 1],
      [0, 0],
    ]); // row 0 reads input column 1
    const h = rnnStep(
      tf.tensor2d([[0.3, 0.7]]),
      tf.zeros([1, 2]) as tf.Tensor2D,
      wIh,
      tf.zeros([2, 2]) as tf.Tensor2D,
      tf.tensor1d([0.1, -0.2]),
    );
    expect(maxDiff(h, tf.tensor2d([[Math.tanh(0.8), Math.tanh(-0.2)]]))).toBeLessThan(1e-6);
  });

  it('matches the library cell on a batch', () => {
    const params = initRecurrent({ kind: 'rnn', vocabSize: 2, width: 5 }, 3);
    const [x, h] = [randn([4, 5], 1) as tf.Tensor2D, randn([4, 5], 2) as tf.Tensor2D];
    const bias = params['rnn.bias_ih_l0'].add(params['rnn.bias_hh_l0']) as tf.Tensor1D;
    const got = rnnStep(
      x,
      h,
      params['rnn.weight_ih_l0'] as tf.Tensor2D,
      params['rnn.weight_hh_l0'] as tf.Tensor2D,
      bias,
    );
    expect(got.shape).toEqual([4, 5]);
    expect(maxDiff(got, rnnCell(params, x, h))).toBeLessThan(1e-5);
  });

  it('leaves only its output behind', () => {
    const args = [randn([2, 3], 4), randn([2, 3], 5), randn([3, 3], 6), randn([3, 3], 7), randn([3], 8)] as const;
    const before = tf.memory().numTensors;
    const out = rnnStep(
      args[0] as tf.Tensor2D,
      args[1] as tf.Tensor2D,
      args[2] as tf.Tensor2D,
      args[3] as tf.Tensor2D,
      args[4] as tf.Tensor1D,
    );
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
  });
});
