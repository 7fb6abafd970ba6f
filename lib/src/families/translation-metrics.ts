/**
 * Scoring translations against references, as sacreBLEU (Post 2018) defines the two standard metrics.
 *   BLEU (Papineni et al. 2002): the geometric mean of clipped n-gram precisions, n = 1…4, counted over the whole
 *     corpus, times a brevity penalty exp(1 − r/c) when the c hypothesis words are fewer than the r reference words.
 *     Words are split on whitespace (sacreBLEU's `tokenize='none'`); a precision with no match is smoothed as
 *     sacreBLEU's default 'exp' does (the k-th such order counts 1/2^k matches). Scores are 0…100.
 *   chrF (Popović 2015), chrF2: character n-grams, n = 1…6, whitespace removed; precision and recall averaged over
 *     the orders, then an F-score weighting recall β = 2 times as much as precision. Scores are 0…100.
 * One reference per hypothesis.
 */

/** Counts of every n-gram (n items joined) of a sequence of tokens or characters. */
function ngramCounts(items: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= items.length; i++) {
    const key = items.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Matches of hypothesis n-grams, each clipped to its count in the reference. */
function clippedMatches(hyp: Map<string, number>, ref: Map<string, number>): number {
  let matches = 0;
  for (const [gram, count] of hyp) matches += Math.min(count, ref.get(gram) ?? 0);
  return matches;
}

function checkCorpus(hypotheses: string[], references: string[]): void {
  if (hypotheses.length !== references.length)
    throw new Error(
      `one reference per hypothesis: got ${hypotheses.length} hypotheses and ${references.length} references`,
    );
}

/** A BLEU score with the numbers it is made of. */
export interface BleuScore {
  /** 0…100. */
  score: number;
  /** Modified n-gram precisions (n = 1…maxOrder), in percent, after smoothing. */
  precisions: number[];
  brevityPenalty: number;
  /** Words in all hypotheses (c) and in all references (r). */
  hypothesisLength: number;
  referenceLength: number;
}

/** Corpus BLEU of hypotheses (N) against references (N), sacreBLEU's definition (file comment). */
export function corpusBleu(
  hypotheses: string[],
  references: string[],
  options: { maxOrder?: number; smooth?: 'exp' | 'none' } = {},
): BleuScore {
  checkCorpus(hypotheses, references);
  const maxOrder = options.maxOrder ?? 4;
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let c = 0;
  let r = 0;
  hypotheses.forEach((h, i) => {
    const hyp = h.split(/\s+/).filter((w) => w !== '');
    const ref = references[i].split(/\s+/).filter((w) => w !== '');
    c += hyp.length;
    r += ref.length;
    for (let n = 1; n <= maxOrder; n++) {
      matches[n - 1] += clippedMatches(ngramCounts(hyp, n), ngramCounts(ref, n));
      totals[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  });
  const precisions = new Array<number>(maxOrder).fill(0);
  let smoothing = 1;
  for (let n = 0; n < maxOrder; n++) {
    if (totals[n] === 0) break; // no n-grams at all: the score is 0
    if (matches[n] > 0) precisions[n] = (100 * matches[n]) / totals[n];
    else if ((options.smooth ?? 'exp') === 'exp') {
      smoothing *= 2;
      precisions[n] = 100 / (smoothing * totals[n]);
    }
  }
  const brevityPenalty = c >= r ? 1 : c > 0 ? Math.exp(1 - r / c) : 0;
  const logMean = precisions.reduce((s, p) => s + (p > 0 ? Math.log(p) : -Infinity), 0) / maxOrder;
  return {
    score: brevityPenalty * Math.exp(logMean),
    precisions,
    brevityPenalty,
    hypothesisLength: c,
    referenceLength: r,
  };
}

/** Corpus chrF of hypotheses (N) against references (N): character n-grams to `order` (6), F-β with β = 2 → 0…100. */
export function chrF(
  hypotheses: string[],
  references: string[],
  options: { order?: number; beta?: number } = {},
): number {
  checkCorpus(hypotheses, references);
  const order = options.order ?? 6;
  const beta = options.beta ?? 2;
  const hypCount = new Array<number>(order).fill(0);
  const refCount = new Array<number>(order).fill(0);
  const matchCount = new Array<number>(order).fill(0);
  hypotheses.forEach((h, i) => {
    // Code points, not UTF-16 units (as Python counts them), with every whitespace character removed.
    const hyp = Array.from(h.replace(/\s+/g, ''));
    const ref = Array.from(references[i].replace(/\s+/g, ''));
    for (let n = 1; n <= order; n++) {
      const hg = ngramCounts(hyp, n);
      const rg = ngramCounts(ref, n);
      hypCount[n - 1] += Math.max(0, hyp.length - n + 1);
      refCount[n - 1] += Math.max(0, ref.length - n + 1);
      matchCount[n - 1] += clippedMatches(hg, rg);
    }
  });
  let precision = 0;
  let recall = 0;
  let effectiveOrder = 0;
  for (let n = 0; n < order; n++) {
    if (hypCount[n] === 0 || refCount[n] === 0) continue; // an order neither side is long enough for
    precision += matchCount[n] / hypCount[n];
    recall += matchCount[n] / refCount[n];
    effectiveOrder++;
  }
  if (effectiveOrder === 0) return 0;
  precision /= effectiveOrder;
  recall /= effectiveOrder;
  if (precision + recall === 0) return 0;
  const b2 = beta * beta;
  return (100 * (1 + b2) * precision * recall) / (b2 * precision + recall);
}

/** The fraction (0…1) of hypotheses (N) exactly equal to their reference (N), whitespace runs collapsed. */
export function exactMatchRate(hypotheses: string[], references: string[]): number {
  checkCorpus(hypotheses, references);
  if (hypotheses.length === 0) throw new Error('exact match of zero sentences is undefined; pass at least one');
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ');
  return hypotheses.filter((h, i) => norm(h) === norm(references[i])).length / hypotheses.length;
}
