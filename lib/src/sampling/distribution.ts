/**
 * From logits (V) to the distribution a decoder samples from, on the host in float64:
 * repetition penalty → temperature (on logits, not probabilities) → softmax → top-k → top-p → renormalise.
 * One row of V numbers per step is cheap to read back, and exact host arithmetic keeps the boundary cases exact.
 */

/** How to shape the next-token distribution. Defaults: temperature 1, no top-k, no top-p, no penalty. */
export interface DecodingOptions {
  /** Divide logits by this; 0 means greedy (all mass on the argmax); must be >= 0. */
  temperature?: number;
  /** Keep only the k most likely tokens (k >= 1). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]. */
  topP?: number;
  /** CTRL-style penalty > 0 for tokens already in `previous` (1 = off): positive logits divided, negative multiplied. */
  repetitionPenalty?: number;
}

/** Throw if any logit (V) is NaN or ±Infinity, naming the first bad position. */
export function checkLogits(logits: ArrayLike<number>): void {
  if (logits.length === 0) throw new Error('logits are empty: the model returned a vocabulary of size 0');
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i]))
      throw new Error(
        `logits must be finite, got ${logits[i]} at token ${i}: the model diverged (check the learning rate) or a mask used ±Infinity`,
      );
  }
}

/** Index of the largest value (V) → id; ties go to the lowest id. */
export function argmaxIndex(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Softmax of logits (V) → probabilities (V) in float64, max-subtracted for stability. */
export function softmaxProbs(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const out = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

/** Logits (V) divided by temperature T > 0 → (V). Dividing logits sharpens (T < 1) or flattens (T > 1) the softmax. */
export function applyTemperature(logits: ArrayLike<number>, temperature: number): Float64Array {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(
      `temperature must be a finite number > 0 here, got ${temperature} (0 means greedy: use nextTokenDistribution or argmaxIndex)`,
    );
  }
  return Float64Array.from(logits as ArrayLike<number>, (x) => x / temperature);
}

/** Repetition penalty on logits (V) for ids in `previous` → new logits (V). */
export function applyRepetitionPenalty(
  logits: ArrayLike<number>,
  previous: Iterable<number>,
  penalty: number,
): Float64Array {
  if (!(penalty > 0) || !Number.isFinite(penalty))
    throw new Error(`repetition penalty must be a finite number > 0 (1 = off), got ${penalty}`);
  const out = Float64Array.from(logits as ArrayLike<number>);
  for (const id of new Set(previous)) {
    if (id < 0 || id >= out.length) continue;
    // Dividing a negative logit would raise it; multiply instead so a penalty always lowers the token.
    out[id] = out[id] > 0 ? out[id] / penalty : out[id] * penalty;
  }
  return out;
}

// Ids sorted by probability, highest first; ties keep the lower id first so results are deterministic.
function rankByProbability(probs: ArrayLike<number>): number[] {
  return Array.from({ length: probs.length }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
}

function renormalised(probs: ArrayLike<number>, keep: Iterable<number>): Float64Array {
  const out = new Float64Array(probs.length);
  let total = 0;
  for (const i of keep) total += out[i] = probs[i];
  if (!(total > 0)) throw new Error('no probability mass left after filtering: loosen top-k / top-p');
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

/** Keep the k most probable tokens of probs (V), renormalised → (V). */
export function topKFilter(probs: ArrayLike<number>, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 1) throw new Error(`top-k must be an integer >= 1, got ${k}`);
  return renormalised(probs, rankByProbability(probs).slice(0, Math.min(k, probs.length)));
}

// Sums of float probabilities land a hair below the exact value (0.1 + 0.2 < 0.3 + 1e-16): allow that much.
const TOP_P_SLACK = 1e-9;

/**
 * Nucleus (top-p) filter of probs (V) → (V): the smallest set of most likely tokens whose total reaches p,
 * including the token that crosses p (so the set is never empty), renormalised.
 */
export function topPFilter(probs: ArrayLike<number>, p: number): Float64Array {
  if (!(p > 0 && p <= 1)) throw new Error(`top-p must be in (0, 1], got ${p}`);
  const order = rankByProbability(probs);
  const keep: number[] = [];
  let cumulative = 0;
  for (const id of order) {
    if (probs[id] <= 0) break; // never keep impossible tokens, even for p = 1
    keep.push(id);
    cumulative += probs[id];
    if (p < 1 && cumulative >= p - TOP_P_SLACK) break;
  }
  return renormalised(probs, keep);
}

/** The distribution (V) to sample the next token from, given logits (V), options and the ids generated so far. */
export function nextTokenDistribution(
  logits: ArrayLike<number>,
  options: DecodingOptions = {},
  previous: number[] = [],
): Float64Array {
  checkLogits(logits);
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0) || !Number.isFinite(temperature))
    throw new Error(`temperature must be a finite number >= 0 (0 = greedy), got ${temperature}`);
  let z: ArrayLike<number> = logits;
  if (options.repetitionPenalty !== undefined && options.repetitionPenalty !== 1)
    z = applyRepetitionPenalty(z, previous, options.repetitionPenalty);
  if (options.topK !== undefined && (!Number.isInteger(options.topK) || options.topK < 1))
    throw new Error(`top-k must be an integer >= 1, got ${options.topK}`);
  if (options.topP !== undefined && !(options.topP > 0 && options.topP <= 1))
    throw new Error(`top-p must be in (0, 1], got ${options.topP}`);
  if (temperature === 0) {
    const onehot = new Float64Array(z.length);
    onehot[argmaxIndex(z)] = 1;
    return onehot;
  }
  let probs: ArrayLike<number> = softmaxProbs(applyTemperature(z, temperature));
  if (options.topK !== undefined) probs = topKFilter(probs, options.topK);
  if (options.topP !== undefined) probs = topPFilter(probs, options.topP);
  return Float64Array.from(probs);
}

/** Shannon entropy in nats of probs (V) → number; log(V) for uniform, 0 for one certain token. */
export function entropyNats(probs: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i] > 0) h -= probs[i] * Math.log(probs[i]);
  return h;
}
