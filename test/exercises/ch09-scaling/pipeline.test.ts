// Tests of exercises/ch09-scaling/pipeline.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { measuredBubble, simulateGpipe } from '@exercises/ch09-scaling/pipeline';
import { gpipeSchedule, type PipelineEvent } from '@how-llms-work/lib';

const key = (e: PipelineEvent) => `${e.stage}/${e.kind}/${e.microbatch}`;
const sorted = (events: PipelineEvent[]) => [...events].sort((a, b) => key(a).localeCompare(key(b)));

describe('ch09 simulateGpipe and measuredBubble', () => {
  it('schedules the worked example: two stages, one micro-batch', () => {
    const events = simulateGpipe(2, 1, 1, 2);
    expect(sorted(events)).toEqual(
      sorted([
        { stage: 0, microbatch: 0, kind: 'forward', start: 0, end: 1 },
        { stage: 1, microbatch: 0, kind: 'forward', start: 1, end: 2 },
        { stage: 1, microbatch: 0, kind: 'backward', start: 2, end: 4 },
        { stage: 0, microbatch: 0, kind: 'backward', start: 4, end: 6 },
      ]),
    );
    expect(measuredBubble(events, 2)).toBeCloseTo(0.5, 12);
  });

  it("gives the library's GPipe timeline for 4 stages and 4 micro-batches", () => {
    expect(sorted(simulateGpipe(4, 4, 1, 2))).toEqual(sorted(gpipeSchedule(4, 4, 1, 2)));
  });

  it('measures a bubble of (S − 1)/(M + S − 1), shrinking as micro-batches grow', () => {
    let previous = 1;
    for (const M of [1, 2, 4, 8, 16]) {
      const bubble = measuredBubble(simulateGpipe(4, M, 1, 2), 4);
      expect(bubble).toBeCloseTo(3 / (M + 3), 10);
      expect(bubble).toBeLessThan(previous);
      previous = bubble;
    }
    expect(measuredBubble([], 3)).toBe(0);
  });

  it('refuses a stage or micro-batch count that is not a positive integer, naming it', () => {
    expect(() => simulateGpipe(0, 4, 1, 2)).toThrow(/0/);
    expect(() => simulateGpipe(2, 1.5, 1, 2)).toThrow(/1\.5/);
  });
});
