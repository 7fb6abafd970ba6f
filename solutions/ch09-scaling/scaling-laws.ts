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
  // BEGIN SOLUTION: Scaling laws, measured
  if (xs.length !== ys.length) throw new Error(`got ${xs.length} x values but ${ys.length} y values`);
  for (const v of [...xs, ...ys])
    if (!(v > 0)) throw new Error(`a power law is fitted in log space: every value must be > 0, got ${v}`);
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  const sxx = lx.reduce((a, x) => a + (x - mx) ** 2, 0);
  if (!(sxx > 0)) throw new Error(`a line needs at least two different x values, got [${xs.join(', ')}]`);
  const exponent = lx.reduce((a, x, i) => a + (x - mx) * (ly[i] - my), 0) / sxx;
  return { exponent, coefficient: Math.exp(my - exponent * mx) };
  // END SOLUTION
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
  // BEGIN SOLUTION: Scaling laws, measured
  const curve = runs.map((r) => ({ x: Math.log(r.parameters), loss: r.loss })).sort((p, q) => p.x - q.x);
  if (curve.length < 3) throw new Error(`an IsoFLOP curve needs at least 3 runs, got ${curve.length}`);
  if (curve.some((p, i) => i > 0 && p.x === curve[i - 1].x))
    throw new Error(`every run must have its own model size; got ${runs.length} runs with repeated sizes`);
  const best = curve.reduce((bi, p, i) => (p.loss < curve[bi].loss ? i : bi), 0);
  const from = Math.min(Math.max(best - 1, 0), curve.length - 3);
  const [p0, p1, p2] = curve.slice(from, from + 3);
  const d01 = (p1.loss - p0.loss) / (p1.x - p0.x);
  const d12 = (p2.loss - p1.loss) / (p2.x - p1.x);
  const a = (d12 - d01) / (p2.x - p0.x);
  const b = d01 - a * (p0.x + p1.x);
  const x = a > 0 ? Math.min(p2.x, Math.max(p0.x, -b / (2 * a))) : curve[best].x;
  const parameters = Math.exp(x);
  const tokens = flops / (6 * parameters);
  return { parameters, tokens, tokensPerParameter: tokens / parameters };
  // END SOLUTION
}
