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
  throw new Error('TODO: implement softmaxWithTemperature (see the chapter 08 notebook, section Temperature reshapes the distribution)');
}
