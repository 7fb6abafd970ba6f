// Cached generation over a whole 256-token context gives the tokens recomputation gives, at flat memory.
import { describe, expect, it } from 'vitest';
import { disposeNamed, generate, gptLanguageModel, initGPT, tf, type GPTConfig } from '@how-llms-work/lib';

const base: GPTConfig = { vocabSize: 17, blockSize: 256, nLayer: 2, nHead: 2, nEmbd: 16 };

describe('generation with the KV cache over 256 positions', () => {
  for (const positional of ['learned', 'rope'] as const) {
    it(`${positional} positions: the same 256 tokens as recomputing every step, numTensors flat`, () => {
      const config = { ...base, positional };
      const params = initGPT(config, 11);
      const lm = gptLanguageModel(params, config);
      const options = { maxNewTokens: 253, temperature: 1, topK: 8, seed: 5 };
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const cached = generate(lm, [1, 2, 3], {
        ...options,
        useCache: true,
        onStep: () => counts.push(tf.memory().numTensors),
      });
      // Every step after the first holds the same tensors: the cache's buffers, written in place.
      expect(new Set(counts.slice(1)).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
      const recomputed = generate(lm, [1, 2, 3], { ...options, useCache: false });
      expect(cached.ids).toHaveLength(256);
      expect(cached.ids).toEqual(recomputed.ids);
      // Sampled, not degenerate: the test would pass trivially on a constant sequence.
      expect(new Set(cached.generated).size).toBeGreaterThan(5);
      disposeNamed(params);
    });
  }
});
