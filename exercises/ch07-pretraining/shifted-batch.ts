/**
 * One language-model batch from a token stream: for each start s, the input row is ids[s .. s + blockSize)
 * and the target row is the same window shifted one to the left, ids[s + 1 .. s + blockSize + 1).
 * So the model at position t is asked for the token that follows position t.
 * A start that leaves fewer than blockSize + 1 tokens (or is negative or not an integer) throws an Error naming the start.
 *
 * Example: shiftedBatch([10, 11, 12, 13, 14], [0, 1], 3)
 *          → { x: [[10, 11, 12], [11, 12, 13]], y: [[11, 12, 13], [12, 13, 14]] }
 */
export function shiftedBatch(
  ids: readonly number[],
  starts: readonly number[],
  blockSize: number,
): { x: number[][]; y: number[][] } {
  throw new Error('TODO: implement shiftedBatch (see the chapter 07 notebook, section Batches: targets shifted by one)');
}
