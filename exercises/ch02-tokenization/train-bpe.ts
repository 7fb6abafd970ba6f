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
  throw new Error('TODO: implement trainBpe (see the chapter 02 notebook, section Training on a real corpus)');
}
