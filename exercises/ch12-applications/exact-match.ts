/**
 * Exact match with SQuAD's normalisation: lower-case; replace every punctuation or symbol character
 * (Unicode \p{P} or \p{S}) with a space; remove the whole words "a", "an" and "the"; collapse runs of
 * whitespace to one space and trim. Return 1 if the normalised prediction equals any normalised reference,
 * else 0. Throws an Error if `references` is empty.
 *
 * Example: exactMatchScore('The Eiffel-Tower!', ['eiffel tower']) → 1
 *          exactMatchScore('Eiffel', ['Eiffel Tower'])           → 0
 */
export function exactMatchScore(prediction: string, references: string[]): number {
  throw new Error('TODO: implement exactMatchScore (see the chapter 12 notebook, section Fine-tuning on a checkable task)');
}
