/**
 * chrF2 of a set of translations (N) against their references (N), on 0…100, as sacreBLEU computes it:
 *   1. remove every whitespace character from each string; work on characters (code points: Array.from(s));
 *   2. for n = 1…6, count over the whole set: the hypothesis n-grams, the reference n-grams, and the matches
 *      (each distinct n-gram counts min(its count in the hypothesis, its count in the reference), sentence by sentence);
 *   3. for the orders where both the hypothesis and the reference counts are > 0, precision_n = matches / hypothesis
 *      count and recall_n = matches / reference count; P and R are their means over those orders (0 if there are none);
 *   4. chrF2 = 100 · (1 + β²) · P · R / (β² · P + R) with β = 2, and 0 when P + R = 0.
 * Throw an Error naming both lengths if there are not as many references as hypotheses.
 *
 * Example: ["ab c"] against ["abd"]: "abc" vs "abd"; orders 1, 2, 3 give precision = recall = 2/3, 1/2, 0, so
 * P = R = 7/18 and chrF2 = 100 · 5 · P² / (5 · P) = 100 · 7/18 ≈ 38.89.
 */
export function chrF2(hypotheses: string[], references: string[]): number {
  throw new Error('TODO: implement chrF2 (see the chapter 15 notebook, section Scoring a translation: exact match, BLEU and chrF)');
}
