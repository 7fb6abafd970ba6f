// Chapter 7: one training step (loss, gradients, global-norm clipping, optimizer step), against the library.
import { describe, expect, it } from 'vitest';
import { trainStep, type OptimizerStep } from '@exercises/ch07-pretraining/train-step';
import {
  createAdamW,
  crossEntropy,
  gptForward,
  initGPT,
  lossAndGrads,
  tf,
  type GPTConfig,
  type NamedTensors,
  type Params,
} from '@how-llms-work/lib';
import { libraryTrainStep, maxDiff, randomIds } from '../helpers';

const CONFIG: GPTConfig = { vocabSize: 10, blockSize: 6, nLayer: 1, nHead: 2, nEmbd: 8 };
const batch = { x: randomIds(2, 6, 10, 1), y: randomIds(2, 6, 10, 2) };
const lossOf = (params: Params) => () => crossEntropy(gptForward(params, CONFIG, batch.x), batch.y);

describe('ch07 trainStep', () => {
  it("returns the loss and moves the parameters as the library's step does (3 steps, clipping active)", () => {
    const [mine, lib] = [initGPT(CONFIG, 3), initGPT(CONFIG, 3)];
    const [s1, s2] = [createAdamW(mine), createAdamW(lib)];
    for (let i = 0; i < 3; i++) {
      const got = trainStep(mine, s1, lossOf(mine), { lr: 1e-2, clipNorm: 0.05 });
      const want = libraryTrainStep(lib, s2, lossOf(lib), 1e-2, 0.05);
      expect(got).toBeCloseTo(want, 5);
    }
    for (const name of Object.keys(mine)) expect(maxDiff(mine[name], lib[name]), name).toBeLessThan(1e-5);
  });

  it('hands the optimizer gradients clipped to the global norm, in the same direction', () => {
    const params = initGPT(CONFIG, 4);
    const { loss, grads } = lossAndGrads(lossOf(params), params);
    const fullNorm = tf.tidy(
      () =>
        tf
          .addN(Object.values(grads).map((g) => g.square().sum()))
          .sqrt()
          .dataSync()[0],
    );
    let seen: NamedTensors | undefined;
    const spy: OptimizerStep = (_s, _p, g) => {
      seen = Object.fromEntries(Object.entries(g).map(([n, t]) => [n, t.clone()]));
    };
    trainStep(params, createAdamW(params), lossOf(params), { lr: 1e-3, clipNorm: fullNorm / 4, optimizerStep: spy });
    expect(Object.keys(seen!).sort()).toEqual(Object.keys(params).sort());
    for (const name of Object.keys(params)) expect(maxDiff(seen![name], grads[name].div(4)), name).toBeLessThan(1e-5);
    tf.dispose([loss]);
  });

  it('keeps the tensor count flat over 4 steps', () => {
    const params = initGPT(CONFIG, 5);
    const state = createAdamW(params);
    trainStep(params, state, lossOf(params), { lr: 1e-3, clipNorm: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) trainStep(params, state, lossOf(params), { lr: 1e-3, clipNorm: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
