/**
 * The most frequent adjacent pair in a sequence of token ids (T): the pair BPE merges next.
 * Overlapping pairs all count: [1, 1, 1] holds (1, 1) twice. Ties go to the pair that occurs first.
 * Returns null when `ids` has fewer than two ids.
 *
 * Example: mostFrequentPair([1, 2, 3, 1, 2]) → [1, 2]   (seen twice; (2, 3) and (3, 1) once)
 */
export function mostFrequentPair(ids: readonly number[]): [number, number] | null {
  // BEGIN SOLUTION: Counting pairs
  const counts = new Map<string, { pair: [number, number]; count: number }>();
  for (let i = 0; i + 1 < ids.length; i++) {
    const key = `${ids[i]},${ids[i + 1]}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { pair: [ids[i], ids[i + 1]], count: 1 });
  }
  // Map iterates in insertion order (first occurrence), so a strict > keeps the earliest of tied pairs.
  let best: { pair: [number, number]; count: number } | null = null;
  for (const entry of counts.values()) if (best === null || entry.count > best.count) best = entry;
  return best === null ? null : best.pair;
  // END SOLUTION
}
