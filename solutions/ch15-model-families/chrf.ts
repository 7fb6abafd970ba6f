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
  // BEGIN SOLUTION: Scoring a translation: exact match, BLEU and chrF
  if (hypotheses.length !== references.length)
    throw new Error(`got ${hypotheses.length} hypotheses and ${references.length} references: pass one per hypothesis`);
  const order = 6;
  const hypCount = new Array<number>(order).fill(0);
  const refCount = new Array<number>(order).fill(0);
  const matches = new Array<number>(order).fill(0);
  const grams = (chars: string[], n: number) => {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join('');
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    return counts;
  };
  hypotheses.forEach((h, i) => {
    const hyp = Array.from(h.replace(/\s+/g, ''));
    const ref = Array.from(references[i].replace(/\s+/g, ''));
    for (let n = 1; n <= order; n++) {
      const hg = grams(hyp, n);
      const rg = grams(ref, n);
      hypCount[n - 1] += Math.max(0, hyp.length - n + 1);
      refCount[n - 1] += Math.max(0, ref.length - n + 1);
      for (const [g, c] of hg) matches[n - 1] += Math.min(c, rg.get(g) ?? 0);
    }
  });
  let P = 0;
  let R = 0;
  let orders = 0;
  for (let n = 0; n < order; n++) {
    if (hypCount[n] === 0 || refCount[n] === 0) continue;
    P += matches[n] / hypCount[n];
    R += matches[n] / refCount[n];
    orders++;
  }
  if (orders === 0) return 0;
  P /= orders;
  R /= orders;
  return P + R === 0 ? 0 : (100 * 5 * P * R) / (4 * P + R);
  // END SOLUTION
}
