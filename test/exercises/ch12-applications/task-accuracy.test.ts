// Tests of exercises/ch12-applications/task-accuracy.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { taskAccuracy } from '@exercises/ch12-applications/task-accuracy';

describe('ch12 taskAccuracy', () => {
  it('counts exact answers before the newline', () => {
    expect(taskAccuracy(['cba\nrev', 'ab', '081\n'], ['cba', 'ba', '81'])).toEqual({
      correct: 1,
      total: 3,
      accuracy: 1 / 3,
    });
  });

  it('uses the whole completion when there is no stop, and does not normalise', () => {
    expect(taskAccuracy(['081', '81', ' 081'], ['081', '081', '081'])).toEqual({
      correct: 1,
      total: 3,
      accuracy: 1 / 3,
    });
  });

  it('honours a custom stop string', () => {
    expect(taskAccuracy(['42<|end|>more', '7<|end|>'], ['42', '8'], '<|end|>')).toEqual({
      correct: 1,
      total: 2,
      accuracy: 0.5,
    });
  });

  it('rejects mismatched lengths, naming both', () => {
    expect(() => taskAccuracy(['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'])).toThrow(
      /(5\D[\s\S]*9)|(9\D[\s\S]*5)/,
    );
  });
});
