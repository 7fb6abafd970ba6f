// Chapter 15 hidden tests: chrF2 against the library's chrF on random corpora, corpus pooling, code points,
// whitespace, edge cases and the error for mismatched lengths.
import { describe, expect, it } from 'vitest';
import { chrF2 } from '@exercises/ch15-model-families/chrf';
import { chrF, Rng } from '@how-llms-work/lib';

function randomText(rng: Rng, length: number, alphabet: string): string {
  const letters = Array.from(alphabet);
  return Array.from({ length }, () => letters[rng.int(letters.length)]).join('');
}

describe('ch15 chrF2', () => {
  it('matches sacreBLEU on a two-sentence corpus (counts pooled over the corpus)', () => {
    expect(
      chrF2(
        [
          'The relationship between cats and dogs is not exactly friendly.',
          'a good bookshop is just a genteel black hole that knows how to read.',
        ],
        [
          'The relationship between dogs and cats is not exactly friendly.',
          'A good bookshop is just a genteel Black Hole that knows how to read.',
        ],
      ),
    ).toBeCloseTo(84.64214891738334, 8);
  });

  it('matches the library on random corpora of random lengths', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.int(5);
      const hyps = Array.from({ length: n }, () => randomText(rng, rng.int(14), 'abcab c'));
      const refs = Array.from({ length: n }, () => randomText(rng, rng.int(14), 'abcd c'));
      expect(chrF2(hyps, refs)).toBeCloseTo(chrF(hyps, refs), 9);
    }
  });

  it('is not the mean of sentence scores', () => {
    const hyps = ['abcdefgh', 'xy'];
    const refs = ['abcdefgh', 'xz'];
    const mean = (chrF2([hyps[0]], [refs[0]]) + chrF2([hyps[1]], [refs[1]])) / 2;
    expect(Math.abs(chrF2(hyps, refs) - mean)).toBeGreaterThan(1);
    expect(chrF2(hyps, refs)).toBeCloseTo(chrF(hyps, refs), 9);
  });

  it('counts characters as code points and ignores every kind of whitespace', () => {
    expect(chrF2(['😀a😀b'], ['😀a 😀\tb'])).toBeCloseTo(100, 9);
    expect(chrF2(['😀😀x'], ['😀😀y'])).toBeCloseTo(chrF(['😀😀x'], ['😀😀y']), 9);
  });

  it('scores empty hypotheses 0 and rejects mismatched lengths naming both', () => {
    expect(chrF2([''], ['abc'])).toBe(0);
    expect(() => chrF2(['a', 'b'], ['a'])).toThrow(/2.*1|1.*2/);
  });
});
