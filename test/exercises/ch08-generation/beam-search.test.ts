// Chapter 8: beam search with a length penalty, against the library's on the same model.
import { describe, expect, it } from 'vitest';
import { beamSearch } from '@exercises/ch08-generation/beam-search';
import {
  beamSearch as libraryBeamSearch,
  gptLanguageModel,
  initGPT,
  tf,
  type CausalLM,
  type GPTConfig,
} from '@how-llms-work/lib';
import { randomizeParams } from '../helpers';

/** A model given by a function of the ids so far → next-token probabilities (V): the worked example's tree. */
function tableModel(V: number, next: (ids: number[]) => number[]): CausalLM {
  return {
    blockSize: 16,
    vocabSize: V,
    forward: (ids) =>
      tf.tidy(() => {
        const rows = ids.arraySync() as number[][];
        const T = rows[0].length;
        const logits = rows.flatMap((row) =>
          Array.from({ length: T }, (_, t) => next(row.slice(0, t + 1)).map((p) => Math.log(p))),
        );
        return tf.tensor3d(logits.flat(), [rows.length, T, V]);
      }),
  };
}

// Tokens: 0 = prompt, 1 = A, 2 = B; after A ten tokens share the mass, after B token 3 takes 0.9.
const V = 12;
const tree = tableModel(V, (ids) => {
  const last = ids[ids.length - 1];
  if (ids.length === 1) return Array.from({ length: V }, (_, v) => (v === 1 ? 0.5 : v === 2 ? 0.4 : 0.1 / (V - 2)));
  if (last === 1) return Array.from({ length: V }, () => 1 / V);
  if (last === 2) return Array.from({ length: V }, (_, v) => (v === 3 ? 0.9 : 0.1 / (V - 1)));
  return Array.from({ length: V }, () => 1 / V);
});

describe('ch08 beamSearch', () => {
  it('computes the worked example: width 2 finds B then 0.9 where width 1 stays on A', () => {
    const greedy = beamSearch(tree, [0], { beamWidth: 1, maxNewTokens: 2, lengthPenalty: 0 });
    const beam = beamSearch(tree, [0], { beamWidth: 2, maxNewTokens: 2, lengthPenalty: 0 });
    expect(greedy[0].ids.slice(0, 2)).toEqual([0, 1]);
    expect(beam[0].ids).toEqual([0, 2, 3]);
    expect(beam[0].logProb).toBeCloseTo(Math.log(0.36), 5);
  });

  it("returns the library's beams, scores and order on a random GPT", () => {
    const config: GPTConfig = { vocabSize: 9, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 };
    const params = initGPT(config, 4);
    randomizeParams(params, 4, 0.5);
    const model = gptLanguageModel(params, config);
    const options = { beamWidth: 3, maxNewTokens: 5, lengthPenalty: 0.7, stopTokens: [0] };
    const mine = beamSearch(model, [1, 2], options);
    const lib = libraryBeamSearch(model, [1, 2], options);
    expect(mine.map((b) => b.ids)).toEqual(lib.map((b) => b.ids));
    mine.forEach((b, i) => {
      expect(b.logProb).toBeCloseTo(lib[i].logProb, 4);
      expect(b.score).toBeCloseTo(lib[i].score, 4);
      expect(b.finished).toBe(lib[i].finished);
    });
  });

  it('finishes a beam at a stop token and names a bad beam width', () => {
    const beams = beamSearch(tree, [0], { beamWidth: 2, maxNewTokens: 3, stopTokens: [3] });
    const done = beams.filter((b) => b.finished);
    expect(done.length).toBeGreaterThan(0);
    for (const b of done) expect(b.ids[b.ids.length - 1]).toBe(3);
    expect(() => beamSearch(tree, [0], { beamWidth: 0, maxNewTokens: 2 })).toThrow(/0/);
  });
});
