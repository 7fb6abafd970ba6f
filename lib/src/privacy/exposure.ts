/**
 * Memorisation, measured: Carlini et al., "The Secret Sharer: Evaluating and Testing Unintended
 * Memorization in Neural Networks" (USENIX Security 2019, <https://arxiv.org/abs/1802.08232>).
 *
 * Plant a canary ("my number is 281828") in the training data. Afterwards, rank it among
 * candidates of the same format by the model's log-perplexity (lower = more likely).
 * exposure = log2 |R| − log2 rank: 0 when the canary looks like any other candidate, log2 |R|
 * when the model prefers it to all of them.
 */
import { Rng } from '../core/random';

/** Exposure in bits of a secret ranked `rank` (1 = most likely) among `spaceSize` candidates. */
export function exposureFromRank(rank: number, spaceSize: number): number {
  if (!(Number.isInteger(spaceSize) && spaceSize >= 1))
    throw new Error(`candidate space size must be a positive integer, got ${spaceSize}`);
  if (!(rank >= 1 && rank <= spaceSize)) throw new Error(`rank must be in [1, ${spaceSize}], got ${rank}`);
  return Math.log2(spaceSize) - Math.log2(rank);
}

/** The canary's rank and exposure among candidates, from log-probabilities (higher = more likely; N candidates). */
export function canaryExposure(
  canaryLogProb: number,
  candidateLogProbs: number[],
): { rank: number; exposure: number; maxExposure: number } {
  // Ties count against the canary: a model that cannot tell them apart has not memorised it.
  const rank = 1 + candidateLogProbs.filter((lp) => lp >= canaryLogProb).length;
  const spaceSize = candidateLogProbs.length + 1;
  return { rank, exposure: exposureFromRank(rank, spaceSize), maxExposure: Math.log2(spaceSize) };
}

/** `count` random secrets of `digits` digits, all different from `secret` and from each other. */
export function randomSecrets(secret: string, digits: number, count: number, rng: Rng): string[] {
  if (count > 10 ** digits - 1)
    throw new Error(`only ${10 ** digits - 1} other ${digits}-digit secrets exist, asked for ${count}`);
  const seen = new Set([secret]);
  const out: string[] = [];
  while (out.length < count) {
    let s = '';
    for (let i = 0; i < digits; i++) s += String(rng.int(10));
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

/** Training text with the canary line inserted `copies` times at random line breaks. */
export function plantCanary(text: string, canary: string, copies: number, rng: Rng): string {
  if (!(Number.isInteger(copies) && copies >= 0))
    throw new Error(`copies must be a non-negative integer, got ${copies}`);
  const lines = text.split('\n');
  for (let c = 0; c < copies; c++) lines.splice(rng.int(lines.length + 1), 0, canary);
  return lines.join('\n');
}
