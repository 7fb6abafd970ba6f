// Hidden tests of exercises/ch08-generation/temperature.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { softmaxWithTemperature } from '@exercises/ch08-generation/temperature';
import { expectCloseTo } from '../../../test/exercises/helpers';

describe('ch08 temperature', () => {
  it('divides logits, not probabilities', () => {
    const e4 = Math.exp(4);
    expectCloseTo(softmaxWithTemperature([1, 3], 0.5), [1 / (1 + e4), e4 / (1 + e4)]); // softmax([2, 6])
  });
  it('rejects a temperature that is not a number', () => {
    expect(() => softmaxWithTemperature([1, 2], Number.NaN)).toThrow(/NaN/);
  });
});
