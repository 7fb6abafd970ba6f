// Chapter 13 hidden tests for a reply's log-probability: large logits, gradients, leaks.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { sequenceLogProb } from '@exercises/ch13-assistant/sequence-log-prob';
const tf = L.tf;

describe('ch13 sequenceLogProb', () => {
  it('stays finite and right for logits in the hundreds', () => {
    const logits = tf.tensor3d([
      [
        [500, 0, -500],
        [300, 300, 0],
      ],
    ]);
    const got = sequenceLogProb(logits, tf.tensor2d([[0, 1]], undefined, 'int32')).dataSync()[0];
    expect(got).toBeCloseTo(-Math.log(2), 4);
  });

  it("gives the library's gradient with respect to the logits, and leaks nothing", () => {
    const logits = tf.randomNormal([2, 6, 5], 0, 2, 'float32', 8) as L.tf.Tensor3D;
    const targets = tf.tensor2d(
      [
        [0, 1, 2, 3, 4, -1],
        [-1, 4, -1, 2, -1, 0],
      ],
      undefined,
      'int32',
    );
    const before = tf.memory().numTensors;
    sequenceLogProb(logits, targets).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const weights = tf.tensor1d([1, -2]);
    const [mine] = tf.grads((x: L.tf.Tensor) =>
      sequenceLogProb(x as L.tf.Tensor3D, targets)
        .mul(weights)
        .sum(),
    )([logits]);
    const [want] = tf.grads((x: L.tf.Tensor) =>
      L.sequenceLogProb(x as L.tf.Tensor3D, targets)
        .mul(weights)
        .sum(),
    )([logits]);
    expect(tf.tidy(() => mine.sub(want).abs().max().dataSync()[0])).toBeLessThan(1e-5);
    // Skipped positions get no gradient.
    const skipped = (mine.arraySync() as number[][][])[1][0];
    expect(skipped.every((v) => v === 0)).toBe(true);
  });

  it('equals minus the summed cross-entropy of the counted positions', () => {
    const logits = tf.randomNormal([1, 4, 9], 0, 1, 'float32', 9) as L.tf.Tensor3D;
    const targets = tf.tensor2d([[3, -1, 8, 0]], undefined, 'int32');
    const ce = L.crossEntropy(logits, targets, { ignoreIndex: -1 }).dataSync()[0];
    expect(sequenceLogProb(logits, targets).dataSync()[0]).toBeCloseTo(-3 * ce, 4);
  });
});
