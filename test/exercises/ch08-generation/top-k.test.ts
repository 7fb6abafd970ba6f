// Tests of exercises/ch08-generation/top-k.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { topK } from '@exercises/ch08-generation/top-k';
import { topKFilter } from '@how-llms-work/lib';
import { expectCloseTo } from '../helpers';

describe('ch08 top-k', () => {
  it('keeps the k most likely, renormalised', () => {
    expectCloseTo(topK([0.1, 0.5, 0.3, 0.1], 2), [0, 0.625, 0.375, 0]);
  });

  it('k = 1 is the argmax and k >= V keeps everything', () => {
    expect(topK([0.2, 0.3, 0.5], 1)).toEqual([0, 0, 1]);
    expectCloseTo(topK([0.2, 0.3, 0.5], 7), [0.2, 0.3, 0.5]);
  });

  it('matches the library on a larger vector, ties to the lower index', () => {
    const probs = [0.05, 0.2, 0.05, 0.2, 0.1, 0.3, 0.1];
    expectCloseTo(topK(probs, 4), topKFilter(probs, 4));
  });

  it('rejects k < 1, naming it', () => {
    expect(topK([0.5, 0.5], 2)).toHaveLength(2);
    expect(() => topK([0.5, 0.5], -3)).toThrow(/-3/);
  });
});
