// Tests of exercises/ch06-transformer/count.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { gptParameterFormula } from '@exercises/ch06-transformer/count';
import { countParameters, disposeNamed, initGPT, type GPTConfig } from '@how-llms-work/lib';

describe('ch06 gptParameterFormula', () => {
  const count = (config: GPTConfig) => {
    const params = initGPT(config, 1);
    const n = countParameters(params);
    disposeNamed(params);
    return n;
  };

  it('counts a tiny GPT exactly', () => {
    const config = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
    expect(gptParameterFormula(config)).toBe(count(config));
  });

  it('counts other depths and widths', () => {
    for (const config of [
      { vocabSize: 65, blockSize: 32, nLayer: 3, nHead: 4, nEmbd: 32 },
      { vocabSize: 5, blockSize: 3, nLayer: 1, nHead: 1, nEmbd: 4 },
    ]) {
      expect(gptParameterFormula(config)).toBe(count(config));
    }
  });

  it('counts a model without biases', () => {
    const config = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, bias: false };
    expect(gptParameterFormula(config)).toBe(count(config));
  });

  it('gives GPT-2 small’s 124,439,808 (worked example), whatever the number of heads', () => {
    const gpt2 = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
    expect(gptParameterFormula(gpt2)).toBe(124_439_808);
    expect(gptParameterFormula({ ...gpt2, nHead: 1 })).toBe(124_439_808);
  });
});
