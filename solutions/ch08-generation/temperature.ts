/**
 * Probabilities from logits at a temperature T: softmax(logits / T). Temperature divides the logits, not the
 * probabilities (dividing probabilities and renormalising would change nothing).
 * T = 0 means greedy: probability 1 on the largest logit (the lowest index if tied), 0 elsewhere.
 * T < 0 (or not a number) throws an Error naming T. Subtract the max logit before exp for stability.
 *
 * Example: softmaxWithTemperature([2, 1, 0], 1) ≈ [0.665, 0.245, 0.090]
 *          softmaxWithTemperature([2, 1, 0], 2) ≈ [0.506, 0.307, 0.186] (flatter)
 *          softmaxWithTemperature([2, 1, 0], 0) = [1, 0, 0]
 */
export function softmaxWithTemperature(logits: readonly number[], temperature: number): number[] {
  // BEGIN SOLUTION: Temperature reshapes the distribution
  if (!(temperature >= 0)) throw new Error(`temperature must be >= 0, got ${temperature}`);
  if (temperature === 0) {
    const best = logits.indexOf(Math.max(...logits));
    return logits.map((_, i) => (i === best ? 1 : 0));
  }
  const z = logits.map((l) => l / temperature);
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
  // END SOLUTION
}
