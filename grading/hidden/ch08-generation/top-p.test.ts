// Hidden tests of exercises/ch08-generation/top-p.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { topP } from '@exercises/ch08-generation/top-p';
import { expectCloseTo } from '../../../test/exercises/helpers';

describe('ch08 top-p', () => {
  it('keeps the crossing token and breaks ties toward the lower index', () => {
    expectCloseTo(topP([0.3, 0.3, 0.4], 0.5), [0.3 / 0.7, 0, 0.4 / 0.7]);
  });
  it('rejects p = 0 and p > 1', () => {
    expect(() => topP([0.5, 0.5], 0)).toThrow(/0/);
    expect(() => topP([0.5, 0.5], 1.5)).toThrow(/1\.5/);
  });
});
