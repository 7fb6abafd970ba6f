/**
 * The k words whose vectors are most cosine-similar to `word`'s, most similar first, never `word` itself.
 * `vectors` maps each word to its vector (all of width C). Ties may come in any order.
 * Throw an Error naming the word if it has no vector.
 *
 * Example: vectors = { cat: [1, 0], dog: [0.9, 0.1], car: [0, 1] }, word 'cat', k = 1 → ['dog'].
 */
export function mostSimilar(vectors: Record<string, number[]>, word: string, k: number): string[] {
  // BEGIN SOLUTION: Nearest neighbours and analogies
  const q = vectors[word];
  if (!q) throw new Error(`"${word}" has no vector`);
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const cos = (v: number[]) => v.reduce((s, x, i) => s + x * q[i], 0) / (norm(v) * norm(q));
  return Object.keys(vectors)
    .filter((w) => w !== word)
    .map((w) => ({ w, s: cos(vectors[w]) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((x) => x.w);
  // END SOLUTION
}
