import { tf, type Beam, type CausalLM } from '@how-llms-work/lib';

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
  // BEGIN SOLUTION: Beam search, and why it is dull for open text
  const { beamWidth, maxNewTokens } = options;
  if (!Number.isInteger(beamWidth) || beamWidth < 1)
    throw new Error(`beamWidth must be an integer >= 1, got ${beamWidth}`);
  if (prompt.length === 0) throw new Error('the prompt must hold at least one token id');
  const alpha = options.lengthPenalty ?? 1;
  const stops = new Set(options.stopTokens ?? []);
  const V = model.vocabSize;
  let beams: Beam[] = [{ ids: [...prompt], logProb: 0, score: 0, finished: false }];
  const finished: Beam[] = [];
  for (let step = 0; step < maxNewTokens && beams.length > 0; step++) {
    const T = Math.min(beams[0].ids.length, model.blockSize);
    const last = tf.tidy(() => {
      const ids = tf.tensor2d(
        beams.map((b) => b.ids.slice(-T)),
        [beams.length, T],
        'int32',
      );
      return model
        .forward(ids)
        .slice([0, T - 1, 0], [beams.length, 1, V])
        .reshape([beams.length, V]); // (beams, V)
    });
    const rows = last.dataSync();
    last.dispose();
    const candidates: Beam[] = [];
    beams.forEach((beam, r) => {
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, rows[r * V + v]);
      let total = 0;
      for (let v = 0; v < V; v++) total += Math.exp(rows[r * V + v] - max);
      const logSum = max + Math.log(total);
      for (let v = 0; v < V; v++) {
        const logProb = beam.logProb + rows[r * V + v] - logSum;
        candidates.push({
          ids: [...beam.ids, v],
          logProb,
          score: logProb / Math.max(1, step + 1) ** alpha,
          finished: stops.has(v),
        });
      }
    });
    candidates.sort((a, b) => b.logProb - a.logProb);
    beams = [];
    for (const c of candidates.slice(0, beamWidth)) (c.finished ? finished : beams).push(c);
  }
  return [...finished, ...beams].sort((a, b) => b.score - a.score);
  // END SOLUTION
}
