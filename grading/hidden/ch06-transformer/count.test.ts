// Hidden tests of exercises/ch06-transformer/count.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { gptParameterFormula } from '@exercises/ch06-transformer/count';
import { countParameters, disposeNamed, initGPT } from '@how-llms-work/lib';

describe('ch06 gptParameterFormula', () => {
  it('counts only embeddings and the final norm with no layers', () => {
    expect(gptParameterFormula({ vocabSize: 10, blockSize: 6, nLayer: 0, nHead: 1, nEmbd: 4 })).toBe(
      10 * 4 + 6 * 4 + 2 * 4,
    );
    expect(gptParameterFormula({ vocabSize: 10, blockSize: 6, nLayer: 0, nHead: 1, nEmbd: 4, bias: false })).toBe(
      10 * 4 + 6 * 4 + 4,
    );
  });
  it('adds 12C² + 13C per layer with biases and 12C² + 2C without', () => {
    for (const C of [8, 24]) {
      const base = { vocabSize: 9, blockSize: 5, nHead: 2, nEmbd: C };
      expect(gptParameterFormula({ ...base, nLayer: 3 }) - gptParameterFormula({ ...base, nLayer: 2 })).toBe(
        12 * C * C + 13 * C,
      );
      expect(
        gptParameterFormula({ ...base, nLayer: 3, bias: false }) -
          gptParameterFormula({ ...base, nLayer: 2, bias: false }),
      ).toBe(12 * C * C + 2 * C);
    }
  });
  it('matches the library for a bias-free model with many heads', () => {
    const config = { vocabSize: 3, blockSize: 2, nLayer: 3, nHead: 4, nEmbd: 8, bias: false };
    const params = initGPT(config, 2);
    expect(gptParameterFormula(config)).toBe(countParameters(params));
    disposeNamed(params);
  });
});
