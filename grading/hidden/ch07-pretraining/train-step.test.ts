// Chapter 7, hidden: trainStep against the library's step on seeded models, clipping regimes and optimizers.
import { describe, expect, it } from 'vitest';
import { trainStep, type OptimizerStep } from '@exercises/ch07-pretraining/train-step';
import {
  createAdamW,
  crossEntropy,
  gptForward,
  initGPT,
  tf,
  type AdamWState,
  type GPTConfig,
  type Params,
} from '@how-llms-work/lib';
import { libraryTrainStep, maxDiff, randomIds } from '../../../test/exercises/helpers';

describe('ch07 trainStep', () => {
  it('matches the library over 6 steps for clipNorm 1e-3 (always clips), 1 and Infinity (never clips)', () => {
    const config: GPTConfig = { vocabSize: 11, blockSize: 5, nLayer: 2, nHead: 2, nEmbd: 8, bias: false };
    const x = randomIds(3, 5, 11, 80);
    const y = randomIds(3, 5, 11, 81);
    for (const clipNorm of [1e-3, 1, Infinity]) {
      const [mine, lib] = [initGPT(config, 82), initGPT(config, 82)];
      const [s1, s2] = [createAdamW(mine), createAdamW(lib)];
      for (let i = 0; i < 6; i++) {
        const got = trainStep(mine, s1, () => crossEntropy(gptForward(mine, config, x), y), { lr: 3e-3, clipNorm });
        const want = libraryTrainStep(lib, s2, () => crossEntropy(gptForward(lib, config, x), y), 3e-3, clipNorm);
        expect(got, `clipNorm ${clipNorm}, step ${i}`).toBeCloseTo(want, 4);
      }
      for (const name of Object.keys(mine))
        expect(maxDiff(mine[name], lib[name]), `${name}, clipNorm ${clipNorm}`).toBeLessThan(2e-5);
    }
  });

  it('calls the optimizer once per step with every parameter, the state and the lr', () => {
    const params: Params = { a: tf.variable(tf.tensor1d([1, 2])), b: tf.variable(tf.tensor2d([[3]])) };
    const calls: { names: string[]; lr: number; state: AdamWState }[] = [];
    const state = createAdamW(params);
    const spy: OptimizerStep = (s, _p, grads, lr) => calls.push({ names: Object.keys(grads).sort(), lr, state: s });
    const lossFn = () => params.a.square().sum().add(params.b.sum()) as tf.Scalar;
    const loss = trainStep(params, state, lossFn, { lr: 0.25, clipNorm: Infinity, optimizerStep: spy });
    expect(loss).toBeCloseTo(8, 5);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ names: ['a', 'b'], lr: 0.25, state });
  });

  it('leaves small gradients unclipped: below the threshold the optimizer sees the raw gradients', () => {
    const params: Params = { a: tf.variable(tf.tensor1d([0.3, -0.4])) };
    let seen: number[] = [];
    const spy: OptimizerStep = (_s, _p, grads) => {
      seen = Array.from(grads.a.dataSync());
    };
    trainStep(params, createAdamW(params), () => params.a.square().sum().mul(0.5) as tf.Scalar, {
      lr: 1,
      clipNorm: 10,
      optimizerStep: spy,
    });
    expect(seen[0]).toBeCloseTo(0.3, 6);
    expect(seen[1]).toBeCloseTo(-0.4, 6);
  });

  it('keeps the tensor count flat over 8 steps of a GPT', () => {
    const config: GPTConfig = { vocabSize: 9, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 };
    const params = initGPT(config, 83);
    const state = createAdamW(params);
    const [x, y] = [randomIds(2, 4, 9, 84), randomIds(2, 4, 9, 85)];
    const lossFn = () => crossEntropy(gptForward(params, config, x), y);
    trainStep(params, state, lossFn, { lr: 1e-3, clipNorm: 0.5 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 8; i++) trainStep(params, state, lossFn, { lr: 1e-3, clipNorm: 0.5 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
