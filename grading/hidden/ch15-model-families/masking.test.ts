// Chapter 15 hidden tests: every branch of the 80/10/10 rule within binomial tolerance, random ids spread over the
// vocabulary and never [MASK], choice independent of the token, seeds that differ, edge cases.
import { beforeAll, describe, expect, it } from 'vitest';
import { maskForMLM } from '@exercises/ch15-model-families/masking';
import { Rng } from '@how-llms-work/lib';

const V = 50;
const MASK = 77;

function expectBinomial(observed: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p), `${observed} of ${n}, expected p = ${p}`).toBeLessThan(4.5 * sd);
}

describe('ch15 maskForMLM', () => {
  const ids = Array.from({ length: 40_000 }, (_, i) => (i * 13 + (i >> 4)) % V);
  // Computed in a hook, not while the file loads: a stub that throws costs these tests, not the whole file.
  let inputs: number[] = [];
  let targets: number[] = [];
  let chosen: number[] = [];
  beforeAll(() => {
    ({ inputs, targets } = maskForMLM(ids, MASK, V, new Rng(10)));
    chosen = ids.map((_, i) => i).filter((i) => targets[i] !== -1);
  });

  it('chooses 15 %, masks 80 %, randomises 10 % and keeps 10 % of the chosen (binomial tolerance)', () => {
    expectBinomial(chosen.length, ids.length, 0.15);
    const masked = chosen.filter((i) => inputs[i] === MASK).length;
    const same = chosen.filter((i) => inputs[i] === ids[i]).length;
    expectBinomial(masked, chosen.length, 0.8);
    expectBinomial(same, chosen.length, 0.1 + 0.1 / V);
    expectBinomial(chosen.length - masked - same, chosen.length, 0.1 * (1 - 1 / V));
  });

  it('draws random replacements uniformly from [0, vocabSize), never [MASK]', () => {
    const randoms = chosen.filter((i) => inputs[i] !== MASK && inputs[i] !== ids[i]).map((i) => inputs[i]);
    expect(randoms.every((t) => Number.isInteger(t) && t >= 0 && t < V)).toBe(true);
    expect(new Set(randoms).size).toBeGreaterThan(0.9 * V);
  });

  it('only ever changes chosen positions', () => {
    expect(ids.every((id, i) => targets[i] !== -1 || inputs[i] === id)).toBe(true);
    expect(chosen.every((i) => targets[i] === ids[i])).toBe(true);
  });

  it('chooses positions whatever the token: a run of one repeated id is chosen at the same rate', () => {
    const same = new Array(20_000).fill(4);
    const out = maskForMLM(same, MASK, V, new Rng(11));
    expectBinomial(out.targets.filter((t) => t !== -1).length, same.length, 0.15);
  });

  it('differs between seeds and repeats for one seed', () => {
    const a = maskForMLM(ids.slice(0, 2000), MASK, V, new Rng(12));
    expect(maskForMLM(ids.slice(0, 2000), MASK, V, new Rng(12))).toEqual(a);
    expect(maskForMLM(ids.slice(0, 2000), MASK, V, new Rng(13)).targets).not.toEqual(a.targets);
  });

  it('handles an empty sequence', () => {
    expect(maskForMLM([], MASK, V, new Rng(1))).toEqual({ inputs: [], targets: [] });
  });
});
