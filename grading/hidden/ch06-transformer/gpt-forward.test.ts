// Chapter 6, hidden: gptForward on seeded random configurations, gradients and properties.
import { describe, expect, it } from 'vitest';
import { gptForward, type AttentionLayer } from '@exercises/ch06-transformer/gpt-forward';
import { gptForward as libraryForward, initGPT, tf, type GPTConfig } from '@how-llms-work/lib';
import {
  maxDiff,
  namedGrads,
  randn,
  randomGptConfigs,
  randomIds,
  randomizeParams,
} from '../../../test/exercises/helpers';

describe('ch06 gptForward', () => {
  it("gives the library's logits on 8 seeded random configurations (with and without biases)", () => {
    randomGptConfigs(8, 61, { min: 4, max: 11 }).forEach((config, i) => {
      const params = initGPT(config, 100 + i);
      randomizeParams(params, 100 + i, 0.4);
      const T = 1 + ((i * 3) % config.blockSize);
      const ids = randomIds(1 + (i % 3), T, config.vocabSize, 200 + i);
      expect(
        maxDiff(gptForward(params, config, ids), libraryForward(params, config, ids)),
        JSON.stringify(config),
      ).toBeLessThan(2e-4);
      tf.dispose(Object.values(params));
    });
  });

  it("has the library's gradients for every parameter on 3 seeded random configurations", () => {
    randomGptConfigs(3, 62, { min: 4, max: 11 }).forEach((config, i) => {
      const params = initGPT(config, 300 + i);
      randomizeParams(params, 300 + i, 0.3);
      const T = Math.min(config.blockSize, 5);
      const ids = randomIds(2, T, config.vocabSize, 400 + i);
      const upstream = randn([2, T, config.vocabSize], 500 + i);
      const mine = namedGrads(() => gptForward(params, config, ids), params, upstream);
      const lib = namedGrads(() => libraryForward(params, config, ids), params, upstream);
      for (const name of Object.keys(params))
        expect(maxDiff(mine[name], lib[name]), `${name} in ${JSON.stringify(config)}`).toBeLessThan(5e-4);
    });
  });

  it('is causal: changing the last token changes only the last position’s logits', () => {
    const config: GPTConfig = { vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };
    const params = initGPT(config, 63);
    randomizeParams(params, 63, 0.4);
    const a = gptForward(params, config, tf.tensor2d([[1, 2, 3, 4, 5, 6]], [1, 6], 'int32'));
    const b = gptForward(params, config, tf.tensor2d([[1, 2, 3, 4, 5, 12]], [1, 6], 'int32'));
    expect(maxDiff(a.slice([0, 0, 0], [1, 5, 13]), b.slice([0, 0, 0], [1, 5, 13]))).toBeLessThan(1e-5);
    expect(maxDiff(a.slice([0, 5, 0], [1, 1, 13]), b.slice([0, 5, 0], [1, 1, 13]))).toBeGreaterThan(1e-3);
  });

  it('uses positions: the same token at two positions gets different logits', () => {
    const config: GPTConfig = { vocabSize: 7, blockSize: 6, nLayer: 1, nHead: 1, nEmbd: 4 };
    const params = initGPT(config, 64);
    randomizeParams(params, 64, 0.5);
    const logits = gptForward(params, config, tf.tensor2d([[3, 3]], [1, 2], 'int32'));
    expect(maxDiff(logits.slice([0, 0, 0], [1, 1, 7]), logits.slice([0, 1, 0], [1, 1, 7]))).toBeGreaterThan(1e-3);
  });

  it('passes each block the normalised stream: an attention layer returning zeros equals the library with attn.c_proj zeroed', () => {
    const config: GPTConfig = { vocabSize: 9, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 };
    const params = initGPT(config, 65);
    randomizeParams(params, 65, 0.4);
    const seen: number[][] = [];
    const zeros: AttentionLayer = (_p, _prefix, x) => {
      seen.push(x.shape);
      return tf.zerosLike(x) as tf.Tensor3D;
    };
    const ids = randomIds(2, 5, 9, 66);
    const got = gptForward(params, config, ids, zeros);
    expect(seen).toEqual([
      [2, 5, 8],
      [2, 5, 8],
    ]);
    for (const [name, p] of Object.entries(params)) if (/\.attn\.c_proj\./.test(name)) p.assign(tf.zerosLike(p));
    expect(maxDiff(got, libraryForward(params, config, ids))).toBeLessThan(1e-4);
  });

  it('keeps the tensor count flat over forward and backward passes', () => {
    const config: GPTConfig = { vocabSize: 9, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 };
    const params = initGPT(config, 67);
    const ids = randomIds(2, 6, 9, 68);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => gptForward(params, config, ids).square().mean() as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
