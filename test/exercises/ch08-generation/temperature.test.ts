// Tests of exercises/ch08-generation/temperature.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { softmaxWithTemperature } from '@exercises/ch08-generation/temperature';
import { nextTokenDistribution } from '@how-llms-work/lib';
import { expectCloseTo } from '../helpers';

describe('ch08 temperature', () => {
  it('T = 1 is the plain softmax', () => {
    expectCloseTo(softmaxWithTemperature([2, 1, 0], 1), nextTokenDistribution([2, 1, 0]));
  });

  it('divides the logits: T = 2 flattens, T = 0.5 sharpens', () => {
    expectCloseTo(softmaxWithTemperature([2, 1, 0], 2), nextTokenDistribution([1, 0.5, 0]));
    expectCloseTo(softmaxWithTemperature([2, 1, 0, -3], 0.5), nextTokenDistribution([4, 2, 0, -6]));
  });

  it('T = 0 is greedy: all mass on the first largest logit', () => {
    expect(softmaxWithTemperature([0.5, 3, -1, 3], 0)).toEqual([0, 1, 0, 0]);
  });

  it('is stable for large logits', () => {
    expectCloseTo(softmaxWithTemperature([1000, 999], 1), [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1))]);
  });

  it('rejects a negative temperature, naming it', () => {
    expect(softmaxWithTemperature([1, 1], 1)).toHaveLength(2);
    expect(() => softmaxWithTemperature([1, 2], -0.7)).toThrow(/-0\.7/);
  });
});
