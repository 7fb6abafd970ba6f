/**
 * Skip-gram's negative-sampling loss for one (center, context) pair and K noise words:
 *   loss = −log σ(u·v) − Σₖ log σ(−u·nₖ),     σ(s) = 1 / (1 + e^(−s))
 * u is the center word's input vector, v the context word's output vector, nₖ the noise words' output vectors
 * (all of width C). The loss is small when the true context scores high and the noise scores low.
 * Compute log σ(s) stably: for s = −1000 it is −1000, not −Infinity (use log σ(s) = −log(1 + e^(−s)), rearranged
 * so that exp never sees a large positive argument).
 *
 * Example: u = [1, 2], v = [0.5, −0.25] (score 0), noise [[1, 0]] (score 1)
 *          → −log σ(0) − log σ(−1) = log 2 + log(1 + e) ≈ 0.693 + 1.313 = 2.006.
 */
export function negativeSamplingPairLoss(u: number[], v: number[], noise: number[][]): number {
  // BEGIN SOLUTION: Skip-gram with negative sampling
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  // log σ(s) = −softplus(−s), and softplus(z) = max(z, 0) + log(1 + e^(−|z|)) never overflows.
  const logSigmoid = (s: number) => -(Math.max(-s, 0) + Math.log1p(Math.exp(-Math.abs(s))));
  return -logSigmoid(dot(u, v)) - noise.reduce((sum, n) => sum + logSigmoid(-dot(u, n)), 0);
  // END SOLUTION
}
