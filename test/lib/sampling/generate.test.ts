import { describe, expect, it } from 'vitest';
import {
  beamSearch,
  disposeNamed,
  generate,
  gptLanguageModel,
  initGPT,
  tf,
  type CausalLM,
  type GPTConfig,
} from '@how-llms-work/lib';

const config: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };

// A next-token table (V, V) as a model: row = last token's logits. No cache.
function tableModel(rows: number[][]): CausalLM {
  const table = tf.tensor2d(rows); // (V, V), kept for the test's lifetime
  return { blockSize: 16, vocabSize: rows.length, forward: (ids) => tf.gather(table, ids) as unknown as tf.Tensor3D }; // (B, T, V)
}

describe('generation loop', () => {
  it('gives the same tokens with and without the KV cache, also past blockSize', () => {
    const params = initGPT(config, 3);
    const lm = gptLanguageModel(params, config);
    for (const options of [{ temperature: 0 }, { temperature: 1, topK: 5 }, { temperature: 0.8, topP: 0.9 }]) {
      const withCache = generate(lm, [1, 2, 3], { ...options, maxNewTokens: 14, seed: 9, useCache: true });
      const without = generate(lm, [1, 2, 3], { ...options, maxNewTokens: 14, seed: 9, useCache: false });
      expect(withCache.ids).toEqual(without.ids);
      expect(withCache.generated).toHaveLength(14);
      expect(withCache.stopReason).toBe('max-length');
    }
    disposeNamed(params);
  });

  it('reports at each step the distribution it sampled from', () => {
    const params = initGPT(config, 4);
    const steps: { token: number; total: number; p: number }[] = [];
    generate(gptLanguageModel(params, config), [0], {
      maxNewTokens: 5,
      topK: 3,
      onStep: (s) => steps.push({ token: s.token, total: s.probs.reduce((a, b) => a + b, 0), p: s.probs[s.token] }),
    });
    expect(steps).toHaveLength(5);
    for (const s of steps) {
      expect(s.total).toBeCloseTo(1, 12);
      expect(s.p).toBeGreaterThan(0);
    }
    disposeNamed(params);
  });

  it('keeps tf.memory().numTensors flat while generating, and leaks nothing after', () => {
    const params = initGPT(config, 5);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    generate(gptLanguageModel(params, config), [1], {
      maxNewTokens: 6,
      onStep: () => counts.push(tf.memory().numTensors),
    });
    // With the cache, each step holds the same number of cache tensors (concatenated, old ones freed).
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    generate(gptLanguageModel(params, config), [1], { maxNewTokens: 12, useCache: false });
    expect(tf.memory().numTensors).toBe(before);
    disposeNamed(params);
  });

  it('stops at a stop token (kept in the output) or at the maximum length', () => {
    // Every token's most likely successor is token 3.
    const lm = tableModel(Array.from({ length: 5 }, () => [0, 0, 0, 5, 0]));
    const r = generate(lm, [0, 1], { temperature: 0, maxNewTokens: 10, stopTokens: [3] });
    expect(r.generated).toEqual([3]);
    expect(r.stopReason).toBe('stop-token');
    const long = generate(lm, [0], { temperature: 0, maxNewTokens: 4 });
    expect(long.generated).toEqual([3, 3, 3, 3]);
    expect(long.stopReason).toBe('max-length');
  });

  it('stops at a stop sequence that the generated text ends with', () => {
    // Greedy successor model: 0 → 1 → 2 → 3 → 4 → 0 …
    const lm = tableModel([0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((v) => (v === (i + 1) % 5 ? 3 : 0))));
    const r = generate(lm, [0], { temperature: 0, maxNewTokens: 20, stopSequences: [[3, 4]] });
    expect(r.generated).toEqual([1, 2, 3, 4]);
    expect(r.stopReason).toBe('stop-sequence');
    // A sequence that only matches across the prompt boundary does not count.
    const p = generate(lm, [2, 3], { temperature: 0, maxNewTokens: 3, stopSequences: [[3, 4]] });
    expect(p.generated).toEqual([4, 0, 1]);
  });

  it('rejects prompts outside the vocabulary and bad options before running the model', () => {
    const lm = tableModel([
      [0, 1],
      [1, 0],
    ]);
    expect(() => generate(lm, [2], { maxNewTokens: 1 })).toThrow('prompt id 2 is outside the vocabulary [0, 2)');
    expect(() => generate(lm, [], { maxNewTokens: 1 })).toThrow(/at least one token/);
    expect(() => generate(lm, [0], { maxNewTokens: 1, topP: 2 })).toThrow('top-p must be in (0, 1], got 2');
  });
});

describe('beam search', () => {
  // From token 0: token 1 is likelier (0.5 vs 0.4), but after 1 every token is equally likely (0.25),
  // while after 2 token 3 is nearly certain. Greedy takes 1 (total 0.125); a beam of 2 finds 2 → 3 (total 0.36).
  const L = Math.log;
  const trap = tableModel([
    [L(0.05), L(0.5), L(0.4), L(0.05)],
    [L(0.25), L(0.25), L(0.25), L(0.25)],
    [L(0.05), L(0.025), L(0.025), L(0.9)],
    [L(0.25), L(0.25), L(0.25), L(0.25)],
  ]);

  it('finds a likelier sequence than greedy decoding', () => {
    const greedy = generate(trap, [0], { temperature: 0, maxNewTokens: 2 });
    expect(greedy.generated[0]).toBe(1);
    const [best] = beamSearch(trap, [0], { beamWidth: 2, maxNewTokens: 2, lengthPenalty: 0 });
    expect(best.ids).toEqual([0, 2, 3]);
    expect(best.logProb).toBeCloseTo(Math.log(0.4 * 0.9), 5);
  });

  it('width 1 is greedy, and stop tokens end a beam', () => {
    const [one] = beamSearch(trap, [0], { beamWidth: 1, maxNewTokens: 2 });
    expect(one.ids.slice(0, 2)).toEqual([0, 1]);
    const beams = beamSearch(trap, [0], { beamWidth: 2, maxNewTokens: 5, stopTokens: [3] });
    expect(beams[0].finished).toBe(true);
    expect(beams[0].ids).toEqual([0, 2, 3]);
    expect(() => beamSearch(trap, [0], { beamWidth: 0, maxNewTokens: 1 })).toThrow(
      'beam width must be an integer >= 1, got 0',
    );
  });
});
