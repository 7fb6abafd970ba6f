import { describe, expect, it } from 'vitest';
import {
  canaryExposure,
  exposureFromRank,
  plantCanary,
  randomSecrets,
  Rng,
  sequenceLogProbs,
  tf,
} from '@how-llms-work/lib';

describe('exposure', () => {
  it('is log2 |R| − log2 rank', () => {
    expect(exposureFromRank(1, 1024)).toBeCloseTo(10, 12);
    expect(exposureFromRank(512, 1024)).toBeCloseTo(1, 12);
    expect(exposureFromRank(1024, 1024)).toBe(0);
  });

  it('ranks the canary among candidates; ties count against it', () => {
    const r = canaryExposure(-1, [-5, -3, -1, -0.5, -9, -7, -8]);
    expect(r.rank).toBe(3); // −1 (tie) and −0.5 are at least as likely
    expect(r.exposure).toBeCloseTo(Math.log2(8) - Math.log2(3), 12);
    expect(canaryExposure(0, [-1, -2, -3]).exposure).toBeCloseTo(r.maxExposure - 1, 12);
  });

  it('random secrets are distinct, of the right length, and never the canary', () => {
    const s = randomSecrets('123', 3, 998, new Rng(1));
    expect(new Set(s).size).toBe(998);
    expect(s.every((x) => /^\d{3}$/.test(x) && x !== '123')).toBe(true);
    expect(() => randomSecrets('1', 1, 10, new Rng(1))).toThrow(/only 9 other 1-digit secrets exist, asked for 10/);
  });

  it('plants the canary the requested number of times', () => {
    const text = plantCanary('a\nb\nc', 'SECRET', 4, new Rng(2));
    expect(text.split('\n').filter((l) => l === 'SECRET')).toHaveLength(4);
    expect(text.split('\n').filter((l) => l !== 'SECRET')).toEqual(['a', 'b', 'c']);
  });
});

describe('sequence log-probabilities', () => {
  // A bigram model with a fixed table: logits for the next token depend only on the current one.
  const table = tf.tensor2d([
    [2, 0, 0],
    [0, 1, 3],
    [1, 1, 1],
  ]);
  const logitsFn = (ids: tf.Tensor2D) => tf.gather(table, ids) as unknown as tf.Tensor3D;
  const logp = (row: number[], j: number) => row[j] - Math.log(row.reduce((a, b) => a + Math.exp(b), 0));

  it('sums log p(x_t | x_{t−1}) from the given position on, for sequences of several lengths', () => {
    const got = sequenceLogProbs(
      logitsFn,
      [
        [0, 1, 2],
        [1, 2],
        [2, 0, 0, 1],
      ],
      1,
    );
    const rows = [
      [2, 0, 0],
      [0, 1, 3],
      [1, 1, 1],
    ];
    expect(got[0]).toBeCloseTo(logp(rows[0], 1) + logp(rows[1], 2), 5);
    expect(got[1]).toBeCloseTo(logp(rows[1], 2), 5);
    expect(got[2]).toBeCloseTo(logp(rows[2], 0) + logp(rows[0], 0) + logp(rows[0], 1), 5);
    const fromTwo = sequenceLogProbs(logitsFn, [[0, 1, 2]], 2);
    expect(fromTwo[0]).toBeCloseTo(logp(rows[1], 2), 5);
  });

  it('batches without leaking tensors', () => {
    const seqs = Array.from({ length: 50 }, (_, i) => [i % 3, (i + 1) % 3, (i * 7) % 3]);
    sequenceLogProbs(logitsFn, seqs, 1, 8);
    const before = tf.memory().numTensors;
    const a = sequenceLogProbs(logitsFn, seqs, 1, 8);
    const b = sequenceLogProbs(logitsFn, seqs, 1, 64);
    expect(tf.memory().numTensors).toBe(before);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
  });

  it('names a sequence too short to score', () => {
    expect(() => sequenceLogProbs(logitsFn, [[0]], 1)).toThrow(/sequence 0 has length 1/);
  });
});
