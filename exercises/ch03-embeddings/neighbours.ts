/**
 * The k words whose vectors are most cosine-similar to `word`'s, most similar first, never `word` itself.
 * `vectors` maps each word to its vector (all of width C). Ties may come in any order.
 * Throw an Error naming the word if it has no vector.
 *
 * Example: vectors = { cat: [1, 0], dog: [0.9, 0.1], car: [0, 1] }, word 'cat', k = 1 → ['dog'].
 */
export function mostSimilar(vectors: Record<string, number[]>, word: string, k: number): string[] {
  throw new Error('TODO: implement mostSimilar (see the chapter 03 notebook, section Nearest neighbours and analogies)');
}
