/**
 * Top-k filtering of a probability vector (V): keep the k largest probabilities, set the rest to 0, and renormalise
 * so the result sums to 1. Ties are broken toward the lower index. k larger than V keeps everything.
 * k < 1 or not an integer throws an Error naming k.
 *
 * Example: topK([0.1, 0.5, 0.3, 0.1], 2) → [0, 0.625, 0.375, 0]
 */
export function topK(probs: readonly number[], k: number): number[] {
  // BEGIN SOLUTION: Decoding strategies
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be an integer >= 1, got ${k}`);
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const keep = new Set(order.slice(0, k));
  const total = order.slice(0, k).reduce((s, i) => s + probs[i], 0);
  return probs.map((p, i) => (keep.has(i) ? p / total : 0));
  // END SOLUTION
}
