// Hidden tests of exercises/ch08-generation/top-k.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { topK } from '@exercises/ch08-generation/top-k';

describe('ch08 top-k', () => {
  it('breaks a tie for the last place toward the lower index', () => {
    expect(topK([0.4, 0.1, 0.4, 0.1], 1)).toEqual([1, 0, 0, 0]);
  });
  it('rejects a k that is not an integer', () => {
    expect(() => topK([0.5, 0.5], 2.5)).toThrow(/2\.5/);
  });
});
