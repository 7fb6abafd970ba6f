/**
 * The WEAT association effect size (Caliskan et al. 2017). X and Y are target word vectors (e.g. career and
 * family words), A and B attribute word vectors (e.g. male and female names), all of one width.
 *   s(w) = mean_{a∈A} cos(w, a) − mean_{b∈B} cos(w, b)
 *   d    = (mean_{x∈X} s(x) − mean_{y∈Y} s(y)) / std_{w∈X∪Y} s(w)
 * with the sample standard deviation (divide by n − 1). A positive d means X sits closer to A (and Y to B).
 * Throws an Error if a set is empty.
 *
 * Example: X = [[1, 0], [0.8, 0.6]], Y = [[0, 1], [0.6, 0.8]], A = [[1, 0]], B = [[0, 1]]
 *          s = 1, 0.2 for X and −1, −0.2 for Y → d = 1.2 / √(2.08 / 3) ≈ 1.4412
 */
export function associationEffectSize(X: number[][], Y: number[][], A: number[][], B: number[][]): number {
  // BEGIN SOLUTION: Measuring association bias
  for (const [name, set] of [
    ['X', X],
    ['Y', Y],
    ['A', A],
    ['B', B],
  ] as const) {
    if (set.length === 0) throw new Error(`set ${name} is empty`);
  }
  const cos = (u: number[], v: number[]) => {
    let dot = 0;
    let uu = 0;
    let vv = 0;
    u.forEach((x, i) => {
      dot += x * v[i];
      uu += x * x;
      vv += v[i] * v[i];
    });
    return dot / Math.sqrt(uu * vv);
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = (w: number[]) => mean(A.map((a) => cos(w, a))) - mean(B.map((b) => cos(w, b)));
  const sx = X.map(s);
  const sy = Y.map(s);
  const all = [...sx, ...sy];
  const m = mean(all);
  const sd = Math.sqrt(all.reduce((acc, v) => acc + (v - m) ** 2, 0) / (all.length - 1));
  return (mean(sx) - mean(sy)) / sd;
  // END SOLUTION
}
