/**
 * Top-k filtering of a probability vector (V): keep the k largest probabilities, set the rest to 0, and renormalise
 * so the result sums to 1. Ties are broken toward the lower index. k larger than V keeps everything.
 * k < 1 or not an integer throws an Error naming k.
 *
 * Example: topK([0.1, 0.5, 0.3, 0.1], 2) → [0, 0.625, 0.375, 0]
 */
export function topK(probs: readonly number[], k: number): number[] {
  throw new Error('TODO: implement topK (see the chapter 08 notebook, section Decoding strategies)');
}
