// Hidden tests of exercises/ch12-applications/task-accuracy.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { taskAccuracy } from '@exercises/ch12-applications/task-accuracy';

describe('ch12 taskAccuracy', () => {
  it('cuts at the first stop only, and scores all-correct as 1', () => {
    expect(taskAccuracy(['12\n34\n', '\n5'], ['12', ''])).toEqual({ correct: 2, total: 2, accuracy: 1 });
  });
  it('cuts at a multi-character stop, not at its prefix', () => {
    expect(taskAccuracy(['a#b##c', 'x##'], ['a#b', 'x'], '##')).toEqual({ correct: 2, total: 2, accuracy: 1 });
  });
  it('rejects zero examples', () => {
    expect(taskAccuracy(['no'], ['yes'])).toEqual({ correct: 0, total: 1, accuracy: 0 });
    expect(() => taskAccuracy([], [])).toThrow();
    expect(() => taskAccuracy([], [])).not.toThrow(/TODO/);
  });
});
