// Chapter 8: the GPT forward pass with a key/value cache, against recomputing the whole prefix.
import { describe, expect, it } from 'vitest';
import { emptyCache, forwardWithCache, freeCache, greedyWithCache } from '@exercises/ch08-generation/kv-cache';
import { generate, gptForward, gptLanguageModel, initGPT, tf, type GPTConfig } from '@how-llms-work/lib';
import { maxDiff, randomizeParams } from '../helpers';

const CONFIG: GPTConfig = { vocabSize: 13, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 8 };
const ids2d = (ids: number[][]) => tf.tensor2d(ids, [ids.length, ids[0].length], 'int32');

describe('ch08 forwardWithCache', () => {
  it('computes the worked example: [5, 6, 7] then [8] gives the last row of the full pass', () => {
    const params = initGPT(CONFIG, 1);
    randomizeParams(params, 1, 0.3);
    const cache = emptyCache(CONFIG.nLayer);
    const first = forwardWithCache(params, CONFIG, ids2d([[5, 6, 7]]), cache);
    const step = forwardWithCache(params, CONFIG, ids2d([[8]]), cache);
    expect(cache.length).toBe(4);
    expect(step.shape).toEqual([1, 1, CONFIG.vocabSize]);
    const full = gptForward(params, CONFIG, ids2d([[5, 6, 7, 8]]));
    expect(maxDiff(first, full.slice([0, 0, 0], [1, 3, CONFIG.vocabSize]))).toBeLessThan(1e-4);
    expect(maxDiff(step, full.slice([0, 3, 0], [1, 1, CONFIG.vocabSize]))).toBeLessThan(1e-4);
    freeCache(cache);
  });

  it('decodes token for token as recomputing the prefix does (greedy, 8 new tokens)', () => {
    const params = initGPT(CONFIG, 2);
    randomizeParams(params, 2, 0.4);
    const mine = greedyWithCache(params, CONFIG, [1, 2, 3], 8);
    const recomputed = generate(gptLanguageModel(params, CONFIG), [1, 2, 3], {
      maxNewTokens: 8,
      temperature: 0,
      useCache: false,
    }).generated;
    expect(mine).toEqual(recomputed);
  });

  it('leaves no tensor behind once the cache is freed, and names the numbers past blockSize', () => {
    const params = initGPT(CONFIG, 3);
    greedyWithCache(params, CONFIG, [4], 3);
    const before = tf.memory().numTensors;
    greedyWithCache(params, CONFIG, [4, 5], 6);
    expect(tf.memory().numTensors).toBe(before);
    const cache = emptyCache(CONFIG.nLayer);
    forwardWithCache(params, CONFIG, ids2d([Array(10).fill(1)]), cache).dispose();
    expect(() => forwardWithCache(params, CONFIG, ids2d([[1, 2, 3]]), cache)).toThrow(/10[\s\S]*12|12[\s\S]*10/);
    freeCache(cache);
  });
});
