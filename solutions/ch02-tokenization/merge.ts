/**
 * One BPE merge step: replace every occurrence of `pair` in `ids` (T) by `newId`, scanning left to right
 * without overlaps, and return the new, shorter list. `ids` itself is left unchanged.
 *
 * Example: mergePair([5, 6, 6, 7, 5, 6], [5, 6], 99) → [99, 6, 7, 99]
 *          mergePair([1, 1, 1], [1, 1], 9) → [9, 1]   (the first two merge; the third has no partner left)
 */
export function mergePair(ids: readonly number[], pair: readonly [number, number], newId: number): number[] {
  // BEGIN SOLUTION: One merge step
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    if (i + 1 < ids.length && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(newId);
      i += 2;
    } else {
      out.push(ids[i]);
      i += 1;
    }
  }
  return out;
  // END SOLUTION
}
