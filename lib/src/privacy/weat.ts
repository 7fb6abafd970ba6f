/**
 * Association bias in word vectors: the Word Embedding Association Test (WEAT) of Caliskan,
 * Bryson and Narayanan, "Semantics derived automatically from language corpora contain
 * human-like biases", Science 356 (2017), <https://doi.org/10.1126/science.aal4230>.
 *
 * Two target sets X, Y (say, career and family words) and two attribute sets A, B (male and
 * female names). s(w, A, B) = mean cos(w, a) − mean cos(w, b) says how much closer w sits to
 * A than to B. The effect size is the difference of the targets' mean s, in units of the
 * standard deviation of s over X ∪ Y (Cohen's d); the p-value asks how often a random
 * equal-size split of X ∪ Y shows an association at least as large.
 */
import { Rng } from '../core/random';
import { cosineSimilarity } from '../embeddings/similarity';

/** A word vector (C). */
export type WordVector = ArrayLike<number>;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** s(w, A, B): mean cosine to A minus mean cosine to B, for one word vector (C). */
export function associationScore(w: WordVector, A: WordVector[], B: WordVector[]): number {
  if (A.length === 0 || B.length === 0)
    throw new Error(`attribute sets must be non-empty, got |A| = ${A.length}, |B| = ${B.length}`);
  return mean(A.map((a) => cosineSimilarity(w, a))) - mean(B.map((b) => cosineSimilarity(w, b)));
}

/** The WEAT effect size d for targets X, Y and attributes A, B (each a list of (C) vectors). */
export function weatEffectSize(X: WordVector[], Y: WordVector[], A: WordVector[], B: WordVector[]): number {
  if (X.length === 0 || Y.length === 0)
    throw new Error(`target sets must be non-empty, got |X| = ${X.length}, |Y| = ${Y.length}`);
  const sx = X.map((w) => associationScore(w, A, B));
  const sy = Y.map((w) => associationScore(w, A, B));
  const all = [...sx, ...sy];
  const m = mean(all);
  // Sample standard deviation (n − 1), as in Caliskan et al.'s reference implementation.
  const sd = Math.sqrt(all.reduce((acc, s) => acc + (s - m) ** 2, 0) / (all.length - 1));
  if (sd === 0) throw new Error('every target word has the same association score; the effect size is undefined');
  return (mean(sx) - mean(sy)) / sd;
}

/** Options for the permutation test. */
export interface WeatTestOptions {
  /** Exact enumeration of all splits up to this many; random splits beyond. */
  maxExact?: number;
  /** Random splits when the exact test is too large. */
  samples?: number;
  seed?: number;
}

/** k-subsets of {0..n−1}, in lexicographic order. */
function* subsets(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** One-sided permutation p-value of the WEAT statistic, with the effect size and test statistic. */
export function weatTest(
  X: WordVector[],
  Y: WordVector[],
  A: WordVector[],
  B: WordVector[],
  options: WeatTestOptions = {},
): { effectSize: number; statistic: number; pValue: number; permutations: number; exact: boolean } {
  if (X.length !== Y.length)
    throw new Error(`the permutation test needs |X| = |Y|, got ${X.length} and ${Y.length}; trim the longer list`);
  const scores = [...X, ...Y].map((w) => associationScore(w, A, B));
  const total = scores.reduce((a, b) => a + b, 0);
  // s(X, Y, A, B) = Σ_x s(x) − Σ_y s(y) = 2 Σ_x s(x) − Σ_all s.
  const statisticOf = (xIdx: number[]) => 2 * xIdx.reduce((acc, i) => acc + scores[i], 0) - total;
  const n = scores.length;
  const k = X.length;
  const observed = statisticOf(Array.from({ length: k }, (_, i) => i));
  const maxExact = options.maxExact ?? 100_000;
  const exact = binomial(n, k) <= maxExact;
  let atLeast = 0;
  let count = 0;
  // A tolerance so that ties with the observed split (equal up to rounding) count as "at least as large".
  const tol = 1e-12 * Math.max(1, Math.abs(observed));
  if (exact) {
    for (const split of subsets(n, k)) {
      count++;
      if (statisticOf(split) >= observed - tol) atLeast++;
    }
  } else {
    const rng = new Rng(options.seed ?? 0);
    const samples = options.samples ?? 10_000;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let s = 0; s < samples; s++) {
      count++;
      if (statisticOf(rng.shuffle(order).slice(0, k)) >= observed - tol) atLeast++;
    }
  }
  return {
    effectSize: weatEffectSize(X, Y, A, B),
    statistic: observed,
    pValue: atLeast / count,
    permutations: count,
    exact,
  };
}
