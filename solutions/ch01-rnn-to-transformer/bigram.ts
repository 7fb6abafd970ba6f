/**
 * The probability of the character `next` right after the character `prev`, estimated by counting in `text`
 * with add-α (Laplace) smoothing:
 *   P(next | prev) = (count(prev next) + α) / (count(prev ·) + α·V)
 * count(prev next) is how often the two characters appear side by side; count(prev ·) is how often `prev`
 * is followed by anything (its occurrences, minus one if it is the text's last character); V is the number of
 * distinct characters in `text`. With α = 0 an unseen pair gets probability 0, and so does any pair after a `prev`
 * that is never followed by anything (0/0 is taken as 0). With α > 0 every pair gets some probability, and
 * the V probabilities after one `prev` still sum to 1.
 *
 * Example: bigramProbability('abab', 'a', 'b') → 1 (both a's are followed by b);
 *          bigramProbability('abab', 'a', 'b', 1) → (2 + 1) / (2 + 1·2) = 0.75.
 */
export function bigramProbability(text: string, prev: string, next: string, alpha = 0): number {
  // BEGIN SOLUTION: Counting: the n-gram model
  const chars = Array.from(text);
  const V = new Set(chars).size;
  let pair = 0;
  let after = 0;
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] !== prev) continue;
    after++;
    if (chars[i + 1] === next) pair++;
  }
  const denominator = after + alpha * V;
  return denominator === 0 ? 0 : (pair + alpha) / denominator;
  // END SOLUTION
}
