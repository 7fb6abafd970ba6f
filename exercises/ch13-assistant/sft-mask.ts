/**
 * The SFT loss mask. A chat example is token ids (T) with a flag per id: true where the token belongs to the
 * assistant's reply (its `<|end|>` included). Position t predicts token t + 1, so return the T − 1 next-token
 * targets: targets[t] = ids[t + 1] when isAssistant[t + 1], else −1 (a target the loss ignores). The flag is read
 * at the predicted token, not at the input. Throws an Error when ids and flags differ in length.
 *
 * Example: ids [5, 6, 7, 8], isAssistant [false, false, true, true] → [−1, 7, 8]
 */
export function assistantTargets(ids: number[], isAssistant: boolean[]): number[] {
  throw new Error('TODO: implement assistantTargets (see the chapter 13 notebook, section Supervised fine-tuning, with the loss on the assistant\'s tokens only)');
}
