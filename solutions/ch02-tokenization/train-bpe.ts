/**
 * Train byte-level BPE on `text` and return the merges it learns, in order: merge i joins the pair merges[i] into the
 * new id 256 + i. No pre-splitting: the whole text is one sequence of its UTF-8 bytes (ids 0 … 255; a lone surrogate,
 * which UTF-8 cannot hold, is encoded as U+FFFD by TextEncoder, as the library does). Repeat:
 *   1. count every adjacent pair of ids, overlapping ones included ([7, 7, 7] holds (7, 7) twice);
 *   2. take the most frequent pair; among equally frequent pairs, the smallest (a, b) (smallest a, then smallest b);
 *   3. stop if it occurs fewer than 2 times (a pair seen once teaches nothing) or once there are vocabSize − 256 merges;
 *   4. replace its occurrences left to right, without overlaps, by the new id, and record the merge.
 * This is the library's trainBpe(text, { vocabSize, pattern: null }), merge for merge. vocabSize below 256 (or not an
 * integer) throws an Error naming it.
 *
 * Example: trainBpe('aaabdaaabac', 259) → [[97, 97], [97, 98], [256, 257]]
 *   (97, 97) 'aa' occurs 4 times (overlapping) → 256: [256, 97, 98, 100, 256, 97, 98, 97, 99];
 *   (97, 98) and (256, 97) both occur twice: the tie goes to the smaller, (97, 98) → 257: [256, 257, 100, 256, 257, 97, 99];
 *   (256, 257) occurs twice → 258. These are the merges the encode exercise starts from.
 */
export function trainBpe(text: string, vocabSize: number): [number, number][] {
  // BEGIN SOLUTION: Training on a real corpus
  if (!Number.isInteger(vocabSize) || vocabSize < 256)
    throw new Error(`vocabSize must be an integer >= 256 (the bytes), got ${vocabSize}`);
  let ids = Array.from(new TextEncoder().encode(text));
  const merges: [number, number][] = [];
  while (merges.length < vocabSize - 256) {
    const counts = new Map<number, number>();
    const key = (a: number, b: number) => a * vocabSize + b; // orders pairs by a, then b
    for (let i = 0; i + 1 < ids.length; i++)
      counts.set(key(ids[i], ids[i + 1]), (counts.get(key(ids[i], ids[i + 1])) ?? 0) + 1);
    let best = -1;
    let bestCount = 0;
    for (const [k, n] of counts) if (n > bestCount || (n === bestCount && k < best)) [best, bestCount] = [k, n];
    if (bestCount < 2) break;
    const pair: [number, number] = [Math.floor(best / vocabSize), best % vocabSize];
    const id = 256 + merges.length;
    const out: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      if (i + 1 < ids.length && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
        out.push(id);
        i++;
      } else out.push(ids[i]);
    }
    ids = out;
    merges.push(pair);
  }
  return merges;
  // END SOLUTION
}
