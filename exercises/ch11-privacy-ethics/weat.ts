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
  throw new Error('TODO: implement associationEffectSize (see the chapter 11 notebook, section Measuring association bias)');
}
