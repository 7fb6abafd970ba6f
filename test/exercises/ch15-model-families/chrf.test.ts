// Chapter 15 exercise: chrF2, on the worked example and the values sacreBLEU prints for the metric card examples.
import { describe, expect, it } from 'vitest';
import { chrF2 } from '@exercises/ch15-model-families/chrf';

describe('ch15 chrF2', () => {
  it('computes the worked example', () => {
    expect(chrF2(['ab c'], ['abd'])).toBeCloseTo((100 * 7) / 18, 9);
  });

  it('matches sacreBLEU on one sentence', () => {
    expect(
      chrF2(
        ['The relationship between Obama and Netanyahu is not exactly friendly.'],
        ['The ties between Obama and Netanyahu are not particularly friendly.'],
      ),
    ).toBeCloseTo(61.576379378113785, 8);
  });

  it('gives 100 for identical text and 0 for nothing in common', () => {
    expect(chrF2(['ka miru vetan'], ['ka miru vetan'])).toBeCloseTo(100, 9);
    expect(chrF2(['xyz'], ['abc'])).toBe(0);
  });
});
