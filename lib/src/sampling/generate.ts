/**
 * The autoregressive loop: feed the context, read the logits of the last position, shape them into a
 * distribution, pick a token, append it, repeat. With a key/value cache each step feeds only the new token.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { KVCache } from '../model/kv-cache';
import { argmaxIndex, nextTokenDistribution, type DecodingOptions } from './distribution';
import type { CausalLM } from './language-model';

/** Options of `generate`: a decoding strategy plus length, stop tokens, seed and cache. */
export interface GenerateOptions extends DecodingOptions {
  maxNewTokens: number;
  /** Stop after emitting any of these ids (the stop token is kept in the output). */
  stopTokens?: number[];
  /** Stop once the output ends with any of these id sequences (e.g. the ids of "\n\n"); the sequence is kept. */
  stopSequences?: number[][];
  /** Seed of the sampling Rng (default 1337); or pass an `rng` to continue a stream. */
  seed?: number;
  rng?: Rng;
  /** Use the model's key/value cache (default: yes when the model has one). Same tokens either way. */
  useCache?: boolean;
  /** Called after each step with the distribution the token was drawn from. */
  onStep?: (step: GenerationStep) => void;
}

/** One step of generation, for plots: the logits (V), the distribution (V) and the chosen token. */
export interface GenerationStep {
  index: number;
  token: number;
  logits: Float32Array;
  probs: Float64Array;
}

/** What `generate` returns: all ids (prompt + new), the new ids, and why it stopped. */
export interface GenerationResult {
  ids: number[];
  generated: number[];
  stopReason: 'stop-token' | 'stop-sequence' | 'max-length';
}

/** Draw the next id from logits (V) with the decoding options; also returns the distribution (V) it was drawn from. */
export function sampleNextToken(
  logits: ArrayLike<number>,
  options: DecodingOptions,
  previous: number[],
  rng: Rng,
): { token: number; probs: Float64Array } {
  const probs = nextTokenDistribution(logits, options, previous);
  // Greedy takes the argmax directly: no draw, so it does not consume the Rng stream.
  const token = options.temperature === 0 ? argmaxIndex(probs) : rng.categorical(probs);
  return { token, probs };
}

/** Generate up to maxNewTokens ids after `prompt` (ids) with one model pass per token (batch of one sequence). */
export function generate(model: CausalLM, prompt: number[], options: GenerateOptions): GenerationResult {
  if (prompt.length === 0) throw new Error('prompt must hold at least one token id: start from a BOS or newline token');
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 0)
    throw new Error(`maxNewTokens must be an integer >= 0, got ${options.maxNewTokens}`);
  for (const id of prompt) {
    if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize)
      throw new Error(
        `prompt id ${id} is outside the vocabulary [0, ${model.vocabSize}): encode the prompt with the model's tokenizer`,
      );
  }
  // Check the options once, up front, rather than at the first sampled step.
  nextTokenDistribution(new Float32Array(model.vocabSize), options);
  const rng = options.rng ?? new Rng(options.seed ?? 1337);
  const stops = new Set(options.stopTokens ?? []);
  const useCache = (options.useCache ?? true) && model.createCache !== undefined;
  const ids = [...prompt];
  let cache: KVCache | undefined = useCache ? model.createCache!() : undefined;
  let pending = ids.slice(-model.blockSize); // what the next forward pass must see
  let stopReason: GenerationResult['stopReason'] = 'max-length';
  try {
    for (let index = 0; index < options.maxNewTokens; index++) {
      if (cache && cache.length + pending.length > model.blockSize) {
        // Past blockSize the window slides and every absolute position shifts: the cache must be rebuilt.
        model.disposeCache?.(cache);
        cache = model.createCache!();
        pending = ids.slice(-model.blockSize);
      }
      const input = cache ? pending : ids.slice(-model.blockSize);
      const last = tf.tidy(() => {
        const logits = model.forward(tf.tensor2d([input], [1, input.length], 'int32'), cache); // (1, T, V)
        // One position (a cached step) is already the last row: read it as it is, no slice.
        return input.length === 1 ? logits : logits.slice([0, input.length - 1, 0], [1, 1, model.vocabSize]); // (1, 1, V)
      });
      // The one read back per token: the last position's V logits, which the host turns into a distribution.
      const logits = last.dataSync() as Float32Array;
      last.dispose();
      const { token, probs } = sampleNextToken(logits, options, ids, rng);
      ids.push(token);
      pending = [token];
      options.onStep?.({ index, token, logits, probs });
      if (stops.has(token)) {
        stopReason = 'stop-token';
        break;
      }
      if (endsWithAny(ids, prompt.length, options.stopSequences)) {
        stopReason = 'stop-sequence';
        break;
      }
    }
  } finally {
    if (cache) model.disposeCache?.(cache);
  }
  return { ids, generated: ids.slice(prompt.length), stopReason };
}

// Does the generated part (ids after `from`) end with one of the sequences?
function endsWithAny(ids: number[], from: number, sequences: number[][] | undefined): boolean {
  if (!sequences) return false;
  return sequences.some(
    (seq) =>
      seq.length > 0 &&
      ids.length - from >= seq.length &&
      seq.every((id, i) => ids[ids.length - seq.length + i] === id),
  );
}
