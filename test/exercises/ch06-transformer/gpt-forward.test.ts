// Chapter 6: the whole GPT forward pass, against the library's gptForward.
import { describe, expect, it } from 'vitest';
import { gptForward, type AttentionLayer } from '@exercises/ch06-transformer/gpt-forward';
import { gptForward as libraryForward, initGPT, selfAttention, tf, type GPTConfig } from '@how-llms-work/lib';
import { maxDiff, namedGrads, randn, randomIds, randomizeParams } from '../helpers';

const CONFIG: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };

describe('ch06 gptForward', () => {
  it("gives the library's logits on a random GPT (B 2, T 6, 2 layers)", () => {
    const params = initGPT(CONFIG, 1);
    randomizeParams(params, 1, 0.3);
    const ids = randomIds(2, 6, CONFIG.vocabSize, 2);
    const logits = gptForward(params, CONFIG, ids);
    expect(logits.shape).toEqual([2, 6, CONFIG.vocabSize]);
    expect(maxDiff(logits, libraryForward(params, CONFIG, ids))).toBeLessThan(1e-4);
  });

  it('computes the worked example: with the residual writers zeroed, logits are LN_f(wte[ids] + wpe) wteᵀ', () => {
    const params = initGPT(CONFIG, 3);
    randomizeParams(params, 3, 0.3);
    for (const [name, p] of Object.entries(params)) if (/\.c_proj\./.test(name)) p.assign(tf.zerosLike(p));
    const ids = randomIds(1, 5, CONFIG.vocabSize, 4);
    const x = tf
      .gather(params['transformer.wte.weight'], ids.reshape([5]))
      .add(params['transformer.wpe.weight'].slice([0, 0], [5, 8]));
    const { mean, variance } = tf.moments(x, -1, true);
    const h = x
      .sub(mean)
      .div(variance.add(1e-5).sqrt())
      .mul(params['transformer.ln_f.weight'])
      .add(params['transformer.ln_f.bias']);
    const want = tf.matMul(h, params['transformer.wte.weight'], false, true).reshape([1, 5, CONFIG.vocabSize]);
    expect(maxDiff(gptForward(params, CONFIG, ids), want)).toBeLessThan(1e-4);
  });

  it('calls the attention layer it is given, once per block, with the block prefix', () => {
    const params = initGPT(CONFIG, 5);
    const prefixes: string[] = [];
    const spy: AttentionLayer = (p, prefix, x, nHead) => {
      prefixes.push(prefix);
      return selfAttention(p, prefix, x, { nHead, causal: true });
    };
    gptForward(params, CONFIG, randomIds(1, 4, CONFIG.vocabSize, 6), spy);
    expect(prefixes).toEqual(['transformer.h.0.attn', 'transformer.h.1.attn']);
  });

  it("has the library's gradients for every parameter", () => {
    const params = initGPT(CONFIG, 7);
    randomizeParams(params, 7, 0.3);
    const ids = randomIds(2, 5, CONFIG.vocabSize, 8);
    const upstream = randn([2, 5, CONFIG.vocabSize], 9);
    const mine = namedGrads(() => gptForward(params, CONFIG, ids), params, upstream);
    const lib = namedGrads(() => libraryForward(params, CONFIG, ids), params, upstream);
    for (const name of Object.keys(params)) expect(maxDiff(mine[name], lib[name]), name).toBeLessThan(1e-4);
  });

  it('names T and blockSize when the input is too long, and leaves no tensor behind', () => {
    const params = initGPT(CONFIG, 10);
    expect(() => gptForward(params, CONFIG, randomIds(1, 9, CONFIG.vocabSize, 11))).toThrow(/9[\s\S]*8|8[\s\S]*9/);
    const ids = randomIds(1, 4, CONFIG.vocabSize, 12);
    gptForward(params, CONFIG, ids).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) gptForward(params, CONFIG, ids).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
