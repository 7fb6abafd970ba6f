// The fused cross-entropy agrees with the composed one (training/loss.ts), loss and gradient.
import { describe, expect, it } from 'vitest';
import { withSettings } from '@how-llms-work/accel';
import { Rng, crossEntropy, tf } from '@how-llms-work/lib';
import { fusedCrossEntropy } from '../../../accel/src/kernels/cross-entropy';
import { expectClose, randomTensor } from './compare';

function lossAndGrad(logits: tf.Tensor, targets: tf.Tensor): { loss: number; grad: Float32Array } {
  const x = tf.variable(logits, true, `ce.${Math.random()}`);
  const out = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => crossEntropy(x, targets), [x]);
    return { loss: value.dataSync()[0], grad: grads[x.name].dataSync() as Float32Array };
  });
  x.dispose();
  return out;
}

describe(`fused cross-entropy on ${process.env.HOW_LLMS_BACKEND}`, () => {
  it('runs here, and matches the composed reference, loss and gradient', () => {
    const rng = new Rng(3);
    const logits = randomTensor([4, 6, 11], 1, 5); // large logits: the max shift matters
    const targets = tf.tensor2d(
      Int32Array.from({ length: 24 }, () => rng.int(11)),
      [4, 6],
      'int32',
    );
    const probe = tf.tidy(() => fusedCrossEntropy(logits.reshape([24, 11]), targets.reshape([24])));
    expect(probe, 'a fused kernel runs on this backend').toBeDefined();
    probe!.dispose();
    const fused = lossAndGrad(logits, targets);
    const reference = withSettings({ fused: false }, () => lossAndGrad(logits, targets));
    expect(fused.loss).toBeCloseTo(reference.loss, 5);
    expectClose(fused.grad, reference.grad, 1e-6, 'gradient');
    tf.dispose([logits, targets]);
  });

  it('starts at log V for uniform logits and names a target outside the vocabulary', () => {
    const logits = tf.zeros([3, 7]);
    expect(tf.tidy(() => crossEntropy(logits, tf.tensor1d([0, 3, 6], 'int32')).dataSync()[0])).toBeCloseTo(
      Math.log(7),
      6,
    );
    expect(() => tf.tidy(() => crossEntropy(logits, tf.tensor1d([0, 7, 1], 'int32')))).toThrow(
      /target 7 at position 1 is not a token id in \[0, 6\]/,
    );
    logits.dispose();
  });

  it('leaves no tensors behind over a loop of loss and gradient', () => {
    const logits = randomTensor([8, 5], 2);
    const targets = tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32');
    lossAndGrad(logits, targets);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) lossAndGrad(logits, targets);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, targets]);
  });
});
