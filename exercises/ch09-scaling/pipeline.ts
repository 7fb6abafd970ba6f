import type { PipelineEvent } from '@how-llms-work/lib';

/**
 * Simulate one GPipe step on paper: S stages, M micro-batches, a forward costing `forwardMs` and a backward
 * `backwardMs` on every stage. All forwards first, then all backwards, each as early as its inputs allow:
 * - stage k runs one thing at a time, micro-batches in order (forwards 0, 1, …, M − 1, then backwards M − 1, …, 0);
 * - the forward of micro-batch m on stage k starts once stage k − 1 has finished that micro-batch's forward;
 * - the backward of m on the last stage starts once its own forward of m is done, and on stage k < S − 1 once
 *   stage k + 1 has finished the backward of m.
 * Returns one event { stage, microbatch, kind, start, end } per (stage, micro-batch, kind): 2·S·M events, in any order.
 * Throws an Error naming the value when S or M is not a positive integer.
 *
 * Example: S = 2, M = 1, forward 1, backward 2 → F0 on stage 0 [0, 1], F0 on stage 1 [1, 2],
 *          B0 on stage 1 [2, 4], B0 on stage 0 [4, 6].
 */
export function simulateGpipe(
  stages: number,
  microbatches: number,
  forwardMs: number,
  backwardMs: number,
): PipelineEvent[] {
  throw new Error('TODO: implement simulateGpipe (see the chapter 09 notebook, section Pipeline parallelism)');
}

/**
 * The bubble measured on a timeline: the fraction of stage-time spent idle, 1 − busy / (S · span), where busy is
 * the summed length of all events and span runs from the earliest start to the latest end. 0 for no events.
 *
 * Example: the S = 2, M = 1 timeline above is busy 6 of 2 · 6 = 12 stage-ms → bubble 0.5 = (S − 1)/(M + S − 1).
 */
export function measuredBubble(timeline: PipelineEvent[], stages: number): number {
  throw new Error('TODO: implement measuredBubble (see the chapter 09 notebook, section Pipeline parallelism)');
}
