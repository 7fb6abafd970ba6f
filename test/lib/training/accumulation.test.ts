// Gradient accumulation: k micro-batches give the big batch's loss and gradients, and leave no tensors behind.
import { describe, expect, it } from 'vitest';
import {
  Rng,
  accumulatedLossAndGrads,
  disposeNamed,
  gptLoss,
  initGPT,
  lossAndGrads,
  microBatch,
  sampleLMBatch,
  tf,
} from '@how-llms-work/lib';

const config = { vocabSize: 11, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0 };

describe('accumulatedLossAndGrads', () => {
  it('over 2 and 4 micro-batches equals one pass over the whole batch', () => {
    const params = initGPT(config, 3);
    const rng = new Rng(5);
    const ids = Int32Array.from({ length: 200 }, () => rng.int(config.vocabSize));
    const batch = sampleLMBatch(ids, 4, config.blockSize, rng);
    const lossFn = gptLoss(config);
    const whole = lossAndGrads(() => lossFn(params, batch, { training: true, step: 0, seed: 0 }), params);
    for (const k of [2, 4]) {
      const before = tf.memory().numTensors;
      const parts = accumulatedLossAndGrads(
        (i) => tf.tidy(() => lossFn(params, microBatch(batch, i, k), { training: true, step: 0, seed: 0 })),
        k,
        params,
      );
      expect(parts.loss.dataSync()[0]).toBeCloseTo(whole.loss.dataSync()[0], 5);
      for (const name of Object.keys(params)) {
        const got = parts.grads[name].dataSync();
        const want = whole.grads[name].dataSync();
        for (let j = 0; j < want.length; j++)
          expect(Math.abs(got[j] - want[j])).toBeLessThan(1e-5 * (1 + Math.abs(want[j])));
      }
      tf.dispose([parts.loss, ...Object.values(parts.grads)]);
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose([whole.loss, ...Object.values(whole.grads), batch.x, batch.y]);
    disposeNamed(params);
  });

  it('names the problem when the batch does not split evenly or the count is not a positive integer', () => {
    const batch = { x: tf.zeros([6, 2]) };
    expect(() => microBatch(batch, 0, 4)).toThrow(/6 rows does not split into 4.*divisor of 6/);
    expect(() => accumulatedLossAndGrads(() => tf.scalar(0), 0, {})).toThrow(/positive integer, got 0/);
    tf.dispose(batch.x);
  });
});
