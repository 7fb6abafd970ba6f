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
  // BEGIN SOLUTION: Pipeline parallelism
  for (const [name, v] of [
    ['stages', stages],
    ['microbatches', microbatches],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  }
  const events: PipelineEvent[] = [];
  const free = new Array<number>(stages).fill(0); // when each stage is next idle
  const forwardDone: number[][] = Array.from({ length: stages }, () => []);
  for (let k = 0; k < stages; k++) {
    for (let m = 0; m < microbatches; m++) {
      const start = Math.max(free[k], k === 0 ? 0 : forwardDone[k - 1][m]);
      free[k] = forwardDone[k][m] = start + forwardMs;
      events.push({ stage: k, microbatch: m, kind: 'forward', start, end: start + forwardMs });
    }
  }
  const backwardDone: number[][] = Array.from({ length: stages }, () => []);
  for (let k = stages - 1; k >= 0; k--) {
    for (let m = microbatches - 1; m >= 0; m--) {
      const start = Math.max(free[k], k === stages - 1 ? forwardDone[k][m] : backwardDone[k + 1][m]);
      free[k] = backwardDone[k][m] = start + backwardMs;
      events.push({ stage: k, microbatch: m, kind: 'backward', start, end: start + backwardMs });
    }
  }
  return events;
  // END SOLUTION
}

/**
 * The bubble measured on a timeline: the fraction of stage-time spent idle, 1 − busy / (S · span), where busy is
 * the summed length of all events and span runs from the earliest start to the latest end. 0 for no events.
 *
 * Example: the S = 2, M = 1 timeline above is busy 6 of 2 · 6 = 12 stage-ms → bubble 0.5 = (S − 1)/(M + S − 1).
 */
export function measuredBubble(timeline: PipelineEvent[], stages: number): number {
  // BEGIN SOLUTION: Pipeline parallelism
  if (timeline.length === 0) return 0;
  let start = Infinity;
  let end = -Infinity;
  let busy = 0;
  for (const e of timeline) {
    start = Math.min(start, e.start);
    end = Math.max(end, e.end);
    busy += e.end - e.start;
  }
  return 1 - busy / (stages * (end - start));
  // END SOLUTION
}
