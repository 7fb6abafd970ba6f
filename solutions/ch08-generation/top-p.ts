/**
 * Top-p (nucleus) filtering of a probability vector (V): sort tokens from most to least likely and keep the smallest
 * prefix whose total probability reaches p, including the token that crosses p (so at least one token is kept);
 * set the rest to 0 and renormalise. Ties are broken toward the lower index. Treat a running total within 1e-9
 * below p as reaching it (float sums like 0.7 + 0.2 land a hair below 0.9). p = 1 keeps every token with probability > 0.
 * p outside (0, 1] throws an Error naming p.
 *
 * Example: topP([0.1, 0.5, 0.3, 0.1], 0.6) → [0, 0.625, 0.375, 0]   (0.5 alone is short of 0.6; 0.3 crosses it)
 *          topP([0.1, 0.5, 0.3, 0.1], 0.8) → [0, 0.625, 0.375, 0]   (0.5 + 0.3 reaches 0.8 exactly)
 */
export function topP(probs: readonly number[], p: number): number[] {
  // BEGIN SOLUTION: Decoding strategies
  if (!(p > 0 && p <= 1)) throw new Error(`p must be in (0, 1], got ${p}`);
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const keep = new Set<number>();
  let total = 0;
  for (const i of order) {
    if (probs[i] <= 0) break;
    keep.add(i);
    total += probs[i];
    if (p < 1 && total >= p - 1e-9) break;
  }
  return probs.map((q, i) => (keep.has(i) ? q / total : 0));
  // END SOLUTION
}
