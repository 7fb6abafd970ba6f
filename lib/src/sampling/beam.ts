/**
 * Beam search: keep the `beamWidth` most probable partial sequences, extend each by every token, keep the best again.
 * It finds high-probability text, which for open-ended writing is exactly the problem: the likeliest
 * continuation is bland and repetitive. It suits tasks with one right answer (translation, code completion).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkLogits } from './distribution';
import type { CausalLM } from './language-model';

/** Options of `beamSearch`. */
export interface BeamSearchOptions {
  beamWidth: number;
  maxNewTokens: number;
  stopTokens?: number[];
  /** Score = log p / (new tokens)^lengthPenalty; 0 ranks by raw log-probability (favours short beams). */
  lengthPenalty?: number;
}

/** One finished or surviving beam: its ids (prompt + new), total log-probability of the new ids, and its score. */
export interface Beam {
  ids: number[];
  logProb: number;
  score: number;
  finished: boolean;
}

function logSoftmaxRow(row: Float32Array, from: number, V: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < V; i++) max = Math.max(max, row[from + i]);
  let total = 0;
  for (let i = 0; i < V; i++) total += Math.exp(row[from + i] - max);
  const lse = max + Math.log(total);
  return Float64Array.from({ length: V }, (_, i) => row[from + i] - lse);
}

/** Beam search after `prompt` (ids); returns beams best first. All beams run as one batch (beams, T) per step. */
export function beamSearch(model: CausalLM, prompt: number[], options: BeamSearchOptions): Beam[] {
  const { beamWidth, maxNewTokens } = options;
  if (!Number.isInteger(beamWidth) || beamWidth < 1)
    throw new Error(`beam width must be an integer >= 1, got ${beamWidth}`);
  if (prompt.length === 0) throw new Error('prompt must hold at least one token id');
  const alpha = options.lengthPenalty ?? 1;
  const stops = new Set(options.stopTokens ?? []);
  const V = model.vocabSize;
  const score = (logProb: number, n: number) => logProb / Math.max(1, n) ** alpha;
  let beams: Beam[] = [{ ids: [...prompt], logProb: 0, score: 0, finished: false }];
  const finished: Beam[] = [];
  for (let step = 0; step < maxNewTokens && beams.length > 0; step++) {
    const T = Math.min(beams[0].ids.length, model.blockSize);
    const last = tf.tidy(() => {
      const ids = tf.tensor2d(
        beams.map((b) => b.ids.slice(-T)),
        [beams.length, T],
        'int32',
      ); // (beams, T)
      return model
        .forward(ids)
        .slice([0, T - 1, 0], [beams.length, 1, V])
        .reshape([beams.length, V]); // (beams, V)
    });
    const rows = last.dataSync() as Float32Array;
    last.dispose();
    checkLogits(rows);
    const candidates: Beam[] = [];
    beams.forEach((b, r) => {
      const lp = logSoftmaxRow(rows, r * V, V);
      for (let v = 0; v < V; v++) {
        const logProb = b.logProb + lp[v];
        candidates.push({ ids: [...b.ids, v], logProb, score: score(logProb, step + 1), finished: stops.has(v) });
      }
    });
    candidates.sort((a, b) => b.logProb - a.logProb);
    beams = [];
    for (const c of candidates.slice(0, beamWidth)) (c.finished ? finished : beams).push(c);
  }
  return [...finished, ...beams].sort((a, b) => b.score - a.score);
}
