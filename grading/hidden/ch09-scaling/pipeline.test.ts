// Hidden tests of exercises/ch09-scaling/pipeline.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { measuredBubble, simulateGpipe } from '@exercises/ch09-scaling/pipeline';
import { bubbleFraction, gpipeSchedule, Rng, type PipelineEvent } from '@how-llms-work/lib';

const key = (e: PipelineEvent) => `${e.stage}/${e.kind}/${e.microbatch}`;
const sorted = (events: PipelineEvent[]) => [...events].sort((a, b) => key(a).localeCompare(key(b)));

describe('ch09 simulateGpipe and measuredBubble', () => {
  it("equals the library's schedule and bubble on random stage counts, micro-batch counts and costs", () => {
    const rng = new Rng(909);
    for (let trial = 0; trial < 25; trial++) {
      const S = 1 + rng.int(6);
      const M = 1 + rng.int(12);
      const f = 0.5 + rng.int(4);
      const b = 0.5 + rng.int(6);
      const events = simulateGpipe(S, M, f, b);
      expect(events).toHaveLength(2 * S * M);
      expect(sorted(events)).toEqual(sorted(gpipeSchedule(S, M, f, b)));
      expect(measuredBubble(events, S)).toBeCloseTo(bubbleFraction(events, S), 12);
      expect(measuredBubble(events, S)).toBeCloseTo((S - 1) / (M + S - 1), 10);
    }
  });

  it('never runs two things at once on a stage, and never starts before its inputs are ready', () => {
    const S = 5;
    const M = 7;
    const events = simulateGpipe(S, M, 1.5, 2.5);
    const find = (stage: number, m: number, kind: PipelineEvent['kind']) =>
      events.find((e) => e.stage === stage && e.microbatch === m && e.kind === kind)!;
    for (let k = 0; k < S; k++) {
      const own = events.filter((e) => e.stage === k).sort((a, b) => a.start - b.start);
      for (let i = 1; i < own.length; i++) expect(own[i].start).toBeGreaterThanOrEqual(own[i - 1].end);
      for (let m = 0; m < M; m++) {
        if (k > 0) expect(find(k, m, 'forward').start).toBeGreaterThanOrEqual(find(k - 1, m, 'forward').end);
        if (k < S - 1) expect(find(k, m, 'backward').start).toBeGreaterThanOrEqual(find(k + 1, m, 'backward').end);
        else expect(find(k, m, 'backward').start).toBeGreaterThanOrEqual(find(k, m, 'forward').end);
      }
    }
  });

  it('measures the bubble of any timeline, whatever its start time and order', () => {
    const shifted = simulateGpipe(3, 2, 1, 1)
      .map((e) => ({ ...e, start: e.start + 100, end: e.end + 100 }))
      .reverse();
    expect(measuredBubble(shifted, 3)).toBeCloseTo(2 / 4, 12);
    const one: PipelineEvent[] = [{ stage: 0, microbatch: 0, kind: 'forward', start: 2, end: 5 }];
    expect(measuredBubble(one, 1)).toBe(0);
    expect(measuredBubble(one, 4)).toBeCloseTo(0.75, 12);
  });
});
