// Hidden tests of exercises/ch12-applications/task-accuracy.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { taskAccuracy } from '@exercises/ch12-applications/task-accuracy';
import { Rng } from '@how-llms-work/lib';

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
  it('on seeded random completions: counts what a brute-force check counts, for any stop string', () => {
    const rng = new Rng(1203);
    const pieces = ['12', '081', 'abc', 'cba', '\n', '###', ' ', 'x'];
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(10);
      const answers = Array.from({ length: n }, () => pieces[rng.int(4)]);
      const completions = answers.map(
        (a) =>
          (rng.int(2) ? a : pieces[rng.int(4)]) +
          Array.from({ length: rng.int(3) }, () => pieces[rng.int(pieces.length)]).join(''),
      );
      const stop = rng.int(2) ? '\n' : '###';
      const correct = completions.filter(
        (c, i) => (c.includes(stop) ? c.slice(0, c.indexOf(stop)) : c) === answers[i],
      ).length;
      const got = taskAccuracy(completions, answers, stop);
      expect(got.correct).toBe(correct);
      expect(got.total).toBe(n);
      expect(got.accuracy).toBeCloseTo(correct / n, 12);
    }
  });
});
