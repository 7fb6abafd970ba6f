import { describe, expect, it } from 'vitest';
import { disposeNamed, fedAvgRound, federatedAverage, tf, type Params } from '@how-llms-work/lib';

describe('federated averaging', () => {
  it('weights each client by its example count', () => {
    const avg = federatedAverage(
      [
        { w: tf.tensor1d([0, 10]), b: tf.scalar(1) },
        { w: tf.tensor1d([4, 2]), b: tf.scalar(5) },
      ],
      [1, 3],
    );
    expect(Array.from(avg.w.dataSync())).toEqual([3, 4]);
    expect(avg.b.dataSync()[0]).toBeCloseTo(4, 6);
    disposeNamed(avg);
  });

  it('a client with no data has no say', () => {
    const avg = federatedAverage([{ w: tf.tensor1d([1]) }, { w: tf.tensor1d([100]) }], [5, 0]);
    expect(avg.w.dataSync()[0]).toBe(1);
    disposeNamed(avg);
  });

  it('names mismatched counts and missing tensors', () => {
    expect(() => federatedAverage([{ w: tf.scalar(1) }], [1, 2])).toThrow(/got 2 counts for 1 clients/);
    expect(() => federatedAverage([{ w: tf.scalar(1) }, { v: tf.scalar(1) }], [1, 1])).toThrow(
      /client 1 has no tensor named "w"/,
    );
  });

  it('one local gradient step per round is exactly centralised gradient descent', () => {
    // Client k's loss (w − c_k)², n_k examples; the central loss is Σ (n_k/n)(w − c_k)².
    const centres = [0, 4, 10];
    const counts = [1, 1, 2];
    const lr = 0.1;
    const global: Params = { w: tf.variable(tf.scalar(0)) };
    let central = 0;
    const round = () =>
      fedAvgRound(global, 3, (k, local) => {
        const w = local.w;
        tf.tidy(() => w.assign(tf.sub(w, tf.mul(tf.mul(tf.sub(w, centres[k]), 2), lr))));
        return counts[k];
      });
    round();
    const before = tf.memory().numTensors;
    central -= lr * 2 * (central - 6); // the first round, by hand (weighted centre = 6)
    for (let r = 1; r < 20; r++) {
      round();
      central -= lr * 2 * (central - 6);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(global.w.dataSync()[0]).toBeCloseTo(central, 4);
  });
});
