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
  // BEGIN SOLUTION: Fine-tuning on a checkable task
  if (references.length === 0) throw new Error('exact match needs at least one reference');
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[\p{P}\p{S}]/gu, ' ')
      .replace(/\b(a|an|the)\b/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const p = norm(prediction);
  return references.some((r) => norm(r) === p) ? 1 : 0;
  // END SOLUTION
}
