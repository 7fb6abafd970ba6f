// BERT's masking rule: proportions within binomial tolerance, loss positions exactly the chosen ones, the same
// masks for the same seed, and batches of windows.
import { describe, expect, it } from 'vitest';
import { maskTokens, NOT_CHOSEN, Rng, sampleMLMBatch, tf } from '@how-llms-work/lib';

const V = 40;
const MASK = V;
const ids = Array.from({ length: 20_000 }, (_, i) => (i * 7 + (i >> 3)) % V);

/** |observed − expected| within 4.5 binomial standard deviations (a false alarm about once in 150,000 runs). */
function expectBinomial(observed: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p), `${observed} of ${n}, expected p = ${p}`).toBeLessThan(4.5 * sd);
}

describe('maskTokens', () => {
  const { inputs, targets } = maskTokens(ids, { maskId: MASK, vocabSize: V }, new Rng(3));
  const chosen = [...targets.keys()].filter((i) => targets[i] !== NOT_CHOSEN);

  it('chooses 15 % of positions, and of those masks 80 %, randomises 10 %, keeps 10 %', () => {
    expectBinomial(chosen.length, ids.length, 0.15);
    const masked = chosen.filter((i) => inputs[i] === MASK).length;
    const same = chosen.filter((i) => inputs[i] === ids[i]).length;
    const other = chosen.length - masked - same;
    expectBinomial(masked, chosen.length, 0.8);
    // A random token equals the original with probability 1/V, so "unchanged" is 0.1 + 0.1/V and "other" the rest.
    expectBinomial(same, chosen.length, 0.1 + 0.1 / V);
    expectBinomial(other, chosen.length, 0.1 * (1 - 1 / V));
    // Random replacements are ordinary tokens, spread over the vocabulary.
    const randoms = chosen.filter((i) => inputs[i] !== MASK && inputs[i] !== ids[i]).map((i) => inputs[i]);
    expect(randoms.every((t) => t >= 0 && t < V)).toBe(true);
    expect(new Set(randoms).size).toBeGreaterThan(V * 0.9);
  });

  it('puts a target exactly at the chosen positions, the original token, and leaves the rest untouched', () => {
    const bad = ids.findIndex((id, i) => (targets[i] === NOT_CHOSEN ? inputs[i] !== id : targets[i] !== id));
    expect(bad, `position ${bad}`).toBe(-1);
    // Only chosen positions ever change.
    expect([...inputs.keys()].filter((i) => inputs[i] !== ids[i]).every((i) => targets[i] !== NOT_CHOSEN)).toBe(true);
  });

  it('gives the same masks for the same seed and different ones for another seed', () => {
    const again = maskTokens(ids, { maskId: MASK, vocabSize: V }, new Rng(3));
    expect(Array.from(again.inputs)).toEqual(Array.from(inputs));
    expect(Array.from(again.targets)).toEqual(Array.from(targets));
    const other = maskTokens(ids, { maskId: MASK, vocabSize: V }, new Rng(4));
    expect(Array.from(other.targets)).not.toEqual(Array.from(targets));
  });

  it('follows other rates and fractions, and rejects impossible ones with the value', () => {
    const all = maskTokens(
      ids.slice(0, 500),
      { maskId: MASK, vocabSize: V, rate: 1, maskFraction: 1, randomFraction: 0 },
      new Rng(1),
    );
    expect(Array.from(all.inputs).every((t) => t === MASK)).toBe(true);
    const none = maskTokens(ids.slice(0, 500), { maskId: MASK, vocabSize: V, rate: 0 }, new Rng(1));
    expect(Array.from(none.targets).every((t) => t === NOT_CHOSEN)).toBe(true);
    expect(() => maskTokens(ids, { maskId: MASK, vocabSize: V, rate: 1.5 }, new Rng(1))).toThrow(/rate.*1\.5/);
    expect(() => maskTokens(ids, { maskId: MASK, vocabSize: V, maskFraction: 0.95 }, new Rng(1))).toThrow(
      /sum to at most 1/,
    );
  });
});

describe('sampleMLMBatch', () => {
  it('cuts windows of the text and masks them, (B, T) int32', () => {
    const before = tf.memory().numTensors;
    const batch = sampleMLMBatch(ids, 4, 16, { maskId: MASK, vocabSize: V }, new Rng(5));
    expect(batch.inputs.shape).toEqual([4, 16]);
    expect(batch.targets.dtype).toBe('int32');
    const text = ids.join(',');
    const inputs = batch.inputs.arraySync() as number[][];
    const targets = batch.targets.arraySync() as number[][];
    for (let b = 0; b < 4; b++) {
      const original = inputs[b].map((t, i) => (targets[b][i] === NOT_CHOSEN ? t : targets[b][i]));
      expect(text).toContain(original.join(','));
    }
    tf.dispose([batch.inputs, batch.targets]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
