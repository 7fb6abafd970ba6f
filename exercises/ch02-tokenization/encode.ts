import { mergePair } from './merge';

/**
 * Encode text with a learned merge table: start from the text's UTF-8 bytes (ids 0 to 255), then repeatedly
 * find the adjacent pair that was learned earliest (merge i makes id 256 + i) and merge all of its
 * occurrences, until no adjacent pair is in the table. Returns the ids (T). No pre-splitting.
 *
 * Example: with merges [[97, 97], [97, 98], [256, 257]] ('aa' → 256, 'ab' → 257, 'aa'+'ab' → 258),
 *          encodeWithMerges('aaabdaaabac', merges) → [258, 100, 258, 97, 99]
 * Order matters: with merges [[98, 99], [97, 98]] ('bc' first), 'abc' → [97, 256], not [257, 99].
 * Call your mergePair from ./merge for each merge.
 */
export function encodeWithMerges(text: string, merges: readonly (readonly [number, number])[]): number[] {
  throw new Error('TODO: implement encodeWithMerges (see the chapter 02 notebook, section Encoding with a merge table)');
}
