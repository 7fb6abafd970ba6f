/** The compute-optimal model on one IsoFLOP curve. */
export interface IsoFlopOptimum {
  /** N*: the best non-embedding parameter count for the budget. */
  parameters: number;
  /** D* = flops / (6·N*): the tokens it trains on. */
  tokens: number;
  /** D* / N*. */
  tokensPerParameter: number;
}

/**
 * A power law y ≈ coefficient · x^exponent fitted by least squares as a straight line in log space:
 * ln y = exponent · ln x + ln coefficient. Throws an Error naming the value when an x or y is not > 0, and when
 * the xs are fewer than 2 or all equal (no line goes through them).
 *
 * Example: fitPowerLaw([1, 10, 100], [3, 30, 300]) → { exponent: 1, coefficient: 3 }.
 */
export function fitPowerLaw(xs: number[], ys: number[]): { exponent: number; coefficient: number } {
  throw new Error('TODO: implement fitPowerLaw (see the chapter 09 notebook, section Scaling laws, measured)');
}

/**
 * The bottom of one IsoFLOP curve (Hoffmann et al. 2022, approach 2). Every run spent `flops` FLOPs: a model of
 * `parameters` non-embedding parameters trained on flops / (6·parameters) tokens, reaching `loss`. Sort the runs by N,
 * take the run with the lowest loss and its two neighbours (at either end of the curve, the three runs at that end),
 * put the parabola loss = a·(ln N)² + b·ln N + c through those three points, and return its bottom
 * N* = exp(−b / 2a), moved to the nearest of the three runs' ln N range if it falls outside it; when the parabola
 * does not open upward (a ≤ 0), N* is the best run's N. Throws an Error naming the count when fewer than 3 runs,
 * or two runs of the same size, are given.
 *
 * Example: flops 6e9, runs N = 100, 1000, 10000 with losses 2 + (ln N − ln 1000)² → N* = 1000,
 *          tokens = 6e9 / (6 · 1000) = 1e6, tokensPerParameter = 1000.
 */
export function isoFlopOptimum(flops: number, runs: { parameters: number; loss: number }[]): IsoFlopOptimum {
  throw new Error('TODO: implement isoFlopOptimum (see the chapter 09 notebook, section Scaling laws, measured)');
}
