import { adamwStep, tf, type AdamWState, type NamedTensors, type Params } from '@how-llms-work/lib';

/** An optimizer step as `trainStep` calls it: the library's `adamwStep` has this shape, and so does your own. */
export type OptimizerStep = (state: AdamWState, params: Params, grads: NamedTensors, lr: number) => void;

/** Options of one training step. */
export interface TrainStepOptions {
  lr: number;
  /** Clip the gradients' global norm to this (Infinity: no clipping). */
  clipNorm: number;
  /** The update to apply; default the library's adamwStep (pass your own adamwStep to use it). */
  optimizerStep?: OptimizerStep;
}

/**
 * One training step of every parameter in `params`, and the loss before it (a number):
 *   1. the loss () and its gradient for every parameter: `tf.variableGrads(lossFn, list of variables)` keys its
 *      gradients by each variable's own `.name`, so map them back to the parameter names of `params`;
 *   2. global-norm clipping: norm = √(Σ over all gradients of Σ g²); if norm > clipNorm, multiply every gradient by
 *      clipNorm / norm (one factor for all: the direction is kept, only the step shrinks);
 *   3. the optimizer step with the clipped gradients and lr (options.optimizerStep, default the library's adamwStep).
 * Dispose the loss and every gradient: over many steps the number of tensors (tf.memory().numTensors) stays flat.
 *
 * Example: trainStep(params, createAdamW(params), () => crossEntropy(gptForward(params, config, x), y),
 *          { lr: 1e-3, clipNorm: 1 }) → 4.17 on a fresh 65-character model (≈ log 65), and the parameters have moved.
 */
export function trainStep(
  params: Params,
  state: AdamWState,
  lossFn: () => tf.Scalar,
  options: TrainStepOptions,
): number {
  throw new Error('TODO: implement trainStep (see the chapter 07 notebook, section Train the GPT on Tiny Shakespeare)');
}
