/**
 * The most frequent adjacent pair in a sequence of token ids (T): the pair BPE merges next.
 * Overlapping pairs all count: [1, 1, 1] holds (1, 1) twice. Ties go to the pair that occurs first.
 * Returns null when `ids` has fewer than two ids.
 *
 * Example: mostFrequentPair([1, 2, 3, 1, 2]) → [1, 2]   (seen twice; (2, 3) and (3, 1) once)
 */
export function mostFrequentPair(ids: readonly number[]): [number, number] | null {
  throw new Error('TODO: implement mostFrequentPair (see the chapter 02 notebook, section Counting pairs)');
}
