// Bits per byte: a uniform model scores log2(V) bits per token exactly; the byte count follows each token's spelling.
import { describe, expect, it } from 'vitest';
import {
  CharTokenizer,
  disposeNamed,
  initGPT,
  natsToBitsPerByte,
  textBits,
  tf,
  tokenByteLengths,
  trainBpe,
  type GPTConfig,
} from '@how-llms-work/lib';

describe('bits per byte', () => {
  it('byte lengths: UTF-8 for characters, own bytes for BPE tokens', () => {
    expect(Array.from(tokenByteLengths(new CharTokenizer(['a', 'é', '€'])))).toEqual([1, 2, 3]);
    const bpe = trainBpe('aaab aaab aaab', { vocabSize: 258, pattern: null });
    const lengths = tokenByteLengths(bpe);
    expect(lengths[97]).toBe(1);
    expect(lengths[256]).toBe(2); // the first merge, 'aa'
  });

  it('converts a mean loss in nats per token with the tokens-to-bytes ratio', () => {
    expect(natsToBitsPerByte(Math.LN2, 10, 10)).toBeCloseTo(1, 12);
    expect(natsToBitsPerByte(2 * Math.LN2, 10, 40)).toBeCloseTo(0.5, 12);
    expect(() => natsToBitsPerByte(1, 0, 5)).toThrow(/positive/);
  });

  it('a model with uniform predictions scores log2(V) bits per token, and bits per byte by the targets spelled', () => {
    const config: GPTConfig = { vocabSize: 3, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 };
    const params = initGPT(config, 1);
    params['transformer.wte.weight'].assign(tf.zeros([3, 4])); // logits all 0: p = 1/3 everywhere
    const byteLengths = [1, 2, 3];
    const ids = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]; // 11 ids: two windows of 4 targets, ids[1..8]
    const before = tf.memory().numTensors;
    const got = textBits(params, config, ids, byteLengths, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(got.tokens).toBe(8);
    expect(got.bytes).toBe([1, 2, 0, 1, 2, 0, 1, 2].reduce((s, id) => s + byteLengths[id], 0));
    expect(got.bitsPerToken).toBeCloseTo(Math.log2(3), 5);
    expect(got.bitsPerByte).toBeCloseTo((8 * Math.log2(3)) / got.bytes, 5);
    expect(() => textBits(params, config, [0, 1, 2], byteLengths)).toThrow(/more than blockSize/);
    disposeNamed(params);
  });
});
