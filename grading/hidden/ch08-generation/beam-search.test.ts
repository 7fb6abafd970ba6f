// Chapter 8, hidden: beamSearch against the library's on seeded random models, widths, penalties and stop tokens.
import { describe, expect, it } from 'vitest';
import { beamSearch } from '@exercises/ch08-generation/beam-search';
import {
  beamSearch as libraryBeamSearch,
  gptLanguageModel,
  initGPT,
  Rng,
  tf,
  type CausalLM,
  type GPTConfig,
} from '@how-llms-work/lib';
import { randomizeParams } from '../../../test/exercises/helpers';

function expectSameBeams(
  mine: ReturnType<typeof beamSearch>,
  lib: ReturnType<typeof libraryBeamSearch>,
  what: string,
): void {
  expect(
    mine.map((b) => b.ids),
    what,
  ).toEqual(lib.map((b) => b.ids));
  mine.forEach((b, i) => {
    expect(Math.abs(b.logProb - lib[i].logProb), `${what}: logProb of beam ${i}`).toBeLessThan(1e-4);
    expect(Math.abs(b.score - lib[i].score), `${what}: score of beam ${i}`).toBeLessThan(1e-4);
    expect(b.finished, `${what}: finished ${i}`).toBe(lib[i].finished);
  });
}

describe('ch08 beamSearch', () => {
  it("returns the library's beams on 8 seeded random models, widths, length penalties and stop tokens", () => {
    const rng = new Rng(110);
    for (let k = 0; k < 8; k++) {
      const config: GPTConfig = { vocabSize: 5 + rng.int(8), blockSize: 4 + rng.int(4), nLayer: 1, nHead: 2, nEmbd: 8 };
      const params = initGPT(config, 111 + k);
      randomizeParams(params, 111 + k, 0.6);
      const model = gptLanguageModel(params, config);
      const options = {
        beamWidth: 1 + rng.int(4),
        maxNewTokens: 2 + rng.int(6), // may run past blockSize: the window slides
        lengthPenalty: [0, 0.6, 1, 2][rng.int(4)],
        stopTokens: rng.int(2) ? [rng.int(config.vocabSize)] : [],
      };
      const prompt = Array.from({ length: 1 + rng.int(3) }, () => rng.int(config.vocabSize));
      expectSameBeams(
        beamSearch(model, prompt, options),
        libraryBeamSearch(model, prompt, options),
        JSON.stringify({ config, options, prompt }),
      );
      tf.dispose(Object.values(params));
    }
  });

  it('ranks finished beams of different lengths by the length-normalised score', () => {
    // Token 0 stops. Stopping at once has p = 0.3; every other path is spread thin, so α decides the order.
    const V = 6;
    const model: CausalLM = {
      blockSize: 8,
      vocabSize: V,
      forward: (ids) =>
        tf.tidy(() => {
          const [B, T] = ids.shape;
          const row = [0.3, 0.25, 0.15, 0.1, 0.1, 0.1].map(Math.log);
          return tf.tensor3d(Array.from({ length: B * T }, () => row).flat(), [B, T, V]);
        }),
    };
    for (const lengthPenalty of [0, 1, 2]) {
      const options = { beamWidth: 3, maxNewTokens: 4, lengthPenalty, stopTokens: [0] };
      expectSameBeams(beamSearch(model, [1], options), libraryBeamSearch(model, [1], options), `α = ${lengthPenalty}`);
    }
  });

  it('with width 1 follows the argmax path, and returns its beams best score first', () => {
    const config: GPTConfig = { vocabSize: 10, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };
    const params = initGPT(config, 120);
    randomizeParams(params, 120, 0.5);
    const model = gptLanguageModel(params, config);
    const one = beamSearch(model, [3], { beamWidth: 1, maxNewTokens: 5 });
    expect(one).toHaveLength(1);
    const ids = [3];
    for (let i = 0; i < 5; i++) {
      const next = tf.tidy(
        () =>
          model
            .forward(tf.tensor2d([ids], [1, ids.length], 'int32'))
            .slice([0, ids.length - 1, 0], [1, 1, 10])
            .argMax(-1)
            .dataSync()[0],
      );
      ids.push(next);
    }
    expect(one[0].ids).toEqual(ids);
    const wide = beamSearch(model, [3], { beamWidth: 4, maxNewTokens: 3, lengthPenalty: 0.5 });
    for (let i = 1; i < wide.length; i++) expect(wide[i - 1].score).toBeGreaterThanOrEqual(wide[i].score);
  });

  it('leaves no tensor behind', () => {
    const config: GPTConfig = { vocabSize: 7, blockSize: 6, nLayer: 1, nHead: 1, nEmbd: 4 };
    const model = gptLanguageModel(initGPT(config, 121), config);
    beamSearch(model, [1], { beamWidth: 2, maxNewTokens: 2 });
    const before = tf.memory().numTensors;
    beamSearch(model, [1, 2], { beamWidth: 3, maxNewTokens: 4 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
