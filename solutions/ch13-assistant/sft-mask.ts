/**
 * The SFT loss mask. A chat example is token ids (T) with a flag per id: true where the token belongs to the
 * assistant's reply (its `<|end|>` included). Position t predicts token t + 1, so return the T − 1 next-token
 * targets: targets[t] = ids[t + 1] when isAssistant[t + 1], else −1 (a target the loss ignores). The flag is read
 * at the predicted token, not at the input. Throws an Error when ids and flags differ in length.
 *
 * Example: ids [5, 6, 7, 8], isAssistant [false, false, true, true] → [−1, 7, 8]
 */
export function assistantTargets(ids: number[], isAssistant: boolean[]): number[] {
  // BEGIN SOLUTION: Supervised fine-tuning, with the loss on the assistant's tokens only
  if (ids.length !== isAssistant.length)
    throw new Error(`one flag per id: got ${ids.length} ids and ${isAssistant.length} flags`);
  const targets: number[] = [];
  for (let t = 0; t + 1 < ids.length; t++) targets.push(isAssistant[t + 1] ? ids[t + 1] : -1);
  return targets;
  // END SOLUTION
}
