/**
 * Greedy decoding: starting from the prompt ids, repeatedly call nextLogits(ids so far) → logits (V), append the
 * index of the largest logit (the lowest index if tied), and stop after maxNewTokens new ids or right after
 * appending stopToken (which is kept). Returns only the new ids. Call nextLogits once per new token.
 *
 * Example: with nextLogits = (ids) => logits that always favour (last id + 1) % 5,
 *          greedyDecode(nextLogits, [0], 10, 3) → [1, 2, 3]
 */
export function greedyDecode(
  nextLogits: (ids: readonly number[]) => readonly number[],
  prompt: readonly number[],
  maxNewTokens: number,
  stopToken?: number,
): number[] {
  // BEGIN SOLUTION: The generation loop, step by step
  const ids = [...prompt];
  const generated: number[] = [];
  while (generated.length < maxNewTokens) {
    const logits = nextLogits(ids);
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    ids.push(best);
    generated.push(best);
    if (best === stopToken) break;
  }
  return generated;
  // END SOLUTION
}
