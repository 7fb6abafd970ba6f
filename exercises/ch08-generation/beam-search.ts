import { type Beam, type CausalLM } from '@how-llms-work/lib';

/** Options of beam search. */
export interface BeamOptions {
  beamWidth: number;
  maxNewTokens: number;
  /** α: a beam's score is logProb / (new tokens)^α; default 1. 0 ranks by raw log-probability. */
  lengthPenalty?: number;
  /** A beam that emits one of these ids is finished (the id is kept) and is extended no further. */
  stopTokens?: number[];
}

/**
 * Beam search after `prompt` (ids) with a causal language model, as the library's `beamSearch` does it; returns every
 * finished beam and every beam still alive at the end, best score first ({ ids: prompt + new ids, logProb of the new
 * ids, score, finished }).
 * Start from one beam (the prompt, logProb 0). At each of maxNewTokens steps, while any beam is alive:
 *   1. run all live beams as one batch: model.forward(ids (beams, T) int32) → logits (beams, T, V), where each row is
 *      the beam's last min(length, model.blockSize) ids; read the last position's logits (beams, V);
 *   2. every beam × every token v is a candidate, in that order (beam by beam, v = 0 … V − 1), with
 *      logProb = beam's logProb + log softmax(logits)[v] (compute the log-softmax in float64: subtract the max, then
 *      log of the sum of exps) and finished = v is a stop token;
 *   3. keep the beamWidth candidates with the largest logProb (a stable sort: ties keep the candidate order);
 *      the finished ones among them are set aside, the others are the next step's beams.
 * Every candidate of a step has the same number n of new tokens, so ranking by logProb there is ranking by score;
 * scores matter when finished beams of different lengths compete: score = logProb / max(1, n)^α.
 * beamWidth < 1 (or not an integer) and an empty prompt throw an Error naming them.
 *
 * Example: if the first token is A with p = 0.5 or B with p = 0.4, and after A every next token has p ≤ 0.1 while
 * after B one token has p = 0.9, greedy decoding (beamWidth 1) ends with A·(0.1) = 0.05 and beam search with
 * beamWidth 2 finds B·(0.9) = 0.36.
 */
export function beamSearch(model: CausalLM, prompt: number[], options: BeamOptions): Beam[] {
  throw new Error('TODO: implement beamSearch (see the chapter 08 notebook, section Beam search, and why it is dull for open text)');
}
