// Chapter 15 exercise: BERT's masking rule, its invariants and proportions.
import { describe, expect, it } from 'vitest';
import { maskForMLM } from '@exercises/ch15-model-families/masking';
import { Rng } from '@how-llms-work/lib';

const V = 30;
const MASK = V;
const ids = Array.from({ length: 10_000 }, (_, i) => (i * 11) % V);

describe('ch15 maskForMLM', () => {
  it('leaves unchosen positions alone with target −1, and targets the original id where chosen', () => {
    const copy = [...ids];
    const { inputs, targets } = maskForMLM(ids, MASK, V, new Rng(1));
    expect(ids).toEqual(copy);
    expect(inputs).toHaveLength(ids.length);
    for (let i = 0; i < ids.length; i++) {
      if (targets[i] === -1) expect(inputs[i]).toBe(ids[i]);
      else expect(targets[i]).toBe(ids[i]);
    }
  });

  it('chooses about 15 % and masks about 80 % of those', () => {
    const { inputs, targets } = maskForMLM(ids, MASK, V, new Rng(2));
    const chosen = targets.map((t, i) => i).filter((i) => targets[i] !== -1);
    expect(chosen.length / ids.length).toBeGreaterThan(0.13);
    expect(chosen.length / ids.length).toBeLessThan(0.17);
    const masked = chosen.filter((i) => inputs[i] === MASK).length / chosen.length;
    expect(masked).toBeGreaterThan(0.75);
    expect(masked).toBeLessThan(0.85);
  });

  it('gives the same result for the same seed', () => {
    expect(maskForMLM(ids, MASK, V, new Rng(3))).toEqual(maskForMLM(ids, MASK, V, new Rng(3)));
  });
});
