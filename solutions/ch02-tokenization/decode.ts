/**
 * Decode ids (T) to text with a merge table: ids 0 to 255 are single bytes, id 256 + i is the bytes of
 * merges[i][0] followed by those of merges[i][1]. Join all the bytes first and decode them as UTF-8 once:
 * one character's bytes may be spread over several tokens. Invalid UTF-8 becomes U+FFFD ('\uFFFD').
 * An id outside [0, 256 + merges.length) throws an Error whose message contains the id.
 *
 * Example: with merges [[240, 159]] (the first two bytes of every emoji from U+1F000 to U+1FFFF),
 *          decodeIds([256, 152, 128], merges) → '😀'   (bytes F0 9F 98 80)
 */
export function decodeIds(ids: readonly number[], merges: readonly (readonly [number, number])[]): string {
  // BEGIN SOLUTION: Decoding: bytes first, text last
  const vocab: number[][] = [];
  for (let b = 0; b < 256; b++) vocab.push([b]);
  for (const [a, b] of merges) vocab.push([...vocab[a], ...vocab[b]]);
  const bytes: number[] = [];
  for (const id of ids) {
    const token = vocab[id];
    if (token === undefined) throw new Error(`token id ${id} is not in the vocabulary (ids 0 to ${vocab.length - 1})`);
    bytes.push(...token);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
  // END SOLUTION
}
