// Chapter 8, hidden: forwardWithCache on seeded random models, chunked prefixes and batches, against the full pass.
import { describe, expect, it } from 'vitest';
import { emptyCache, forwardWithCache, freeCache, greedyWithCache } from '@exercises/ch08-generation/kv-cache';
import { generate, gptForward, gptLanguageModel, initGPT, Rng, tf, type GPTConfig } from '@how-llms-work/lib';
import { maxDiff, randomGptConfigs, randomIds, randomizeParams } from '../../../test/exercises/helpers';

describe('ch08 forwardWithCache', () => {
  it('fed in random chunks, gives every row of the full forward pass on 5 seeded models (batch of 2)', () => {
    randomGptConfigs(5, 90, { min: 10, max: 15 }).forEach((config, k) => {
      const params = initGPT(config, 91 + k);
      randomizeParams(params, 91 + k, 0.4);
      const T = config.blockSize;
      const ids = randomIds(2, T, config.vocabSize, 92 + k);
      const full = gptForward(params, config, ids);
      const cache = emptyCache(config.nLayer);
      const rng = new Rng(93 + k);
      for (let start = 0; start < T; ) {
        const size = Math.min(T - start, 1 + rng.int(4));
        const part = forwardWithCache(params, config, ids.slice([0, start], [2, size]), cache);
        expect(cache.length).toBe(start + size);
        expect(
          maxDiff(part, full.slice([0, start, 0], [2, size, config.vocabSize])),
          `positions ${start}…${start + size - 1} of ${JSON.stringify(config)}`,
        ).toBeLessThan(2e-4);
        part.dispose();
        start += size;
      }
      freeCache(cache);
    });
  });

  it('decodes greedily token for token as recomputing does, on 3 seeded models up to blockSize', () => {
    randomGptConfigs(3, 94, { min: 10, max: 15 }).forEach((config, k) => {
      const params = initGPT(config, 95 + k);
      randomizeParams(params, 95 + k, 0.5);
      const prompt = [1 + k, 2, 0];
      const n = config.blockSize - prompt.length;
      const mine = greedyWithCache(params, config, prompt, n);
      const want = generate(gptLanguageModel(params, config), prompt, {
        maxNewTokens: n,
        temperature: 0,
        useCache: false,
      }).generated;
      expect(mine).toEqual(want);
    });
  });

  it('keeps one cache entry per layer, growing along time: (B, H, length, D)', () => {
    const config: GPTConfig = { vocabSize: 7, blockSize: 9, nLayer: 3, nHead: 2, nEmbd: 6 };
    const params = initGPT(config, 96);
    const cache = emptyCache(config.nLayer);
    forwardWithCache(params, config, randomIds(2, 4, 7, 97), cache).dispose();
    forwardWithCache(params, config, randomIds(2, 1, 7, 98), cache).dispose();
    for (let i = 0; i < 3; i++) {
      expect(cache.keys[i]!.shape).toEqual([2, 2, 5, 3]);
      expect(cache.values[i]!.shape).toEqual([2, 2, 5, 3]);
    }
    freeCache(cache);
  });

  it('keeps the tensor count flat: the replaced keys and values are disposed at every step', () => {
    const config: GPTConfig = { vocabSize: 7, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 4 };
    const params = initGPT(config, 99);
    const cache = emptyCache(config.nLayer);
    forwardWithCache(params, config, randomIds(1, 2, 7, 100), cache).dispose();
    const steps = Array.from({ length: 5 }, (_, i) => randomIds(1, 1, 7, 101 + i));
    const perStep: number[] = [];
    for (const ids of steps) {
      forwardWithCache(params, config, ids, cache).dispose();
      perStep.push(tf.memory().numTensors);
    }
    expect(new Set(perStep).size).toBe(1);
    const before = tf.memory().numTensors;
    freeCache(cache);
    expect(tf.memory().numTensors).toBe(before - 2 * config.nLayer);
  });
});
