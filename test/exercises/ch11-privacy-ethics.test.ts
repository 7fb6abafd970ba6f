// Chapter 11 exercises: per-example clipping, the federated average, the association effect size.
// Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { clipPerExample } from '@exercises/ch11-privacy-ethics/clip';
import { federatedAverage } from '@exercises/ch11-privacy-ethics/fedavg';
import { associationEffectSize } from '@exercises/ch11-privacy-ethics/weat';
import { clipRows, federatedAverage as libFederatedAverage, Rng, tf, weatEffectSize } from '@how-llms-work/lib';

const norm = (row: number[]) => Math.sqrt(row.reduce((a, x) => a + x * x, 0));

describe('ch11 clipPerExample', () => {
  it('scales a long gradient onto the ball, keeping its direction', () => {
    const [row] = clipPerExample([[3, 4]], 1);
    expect(row[0]).toBeCloseTo(0.6, 10);
    expect(row[1]).toBeCloseTo(0.8, 10);
  });

  it('leaves a short gradient unchanged (it does not normalise)', () => {
    const [row] = clipPerExample([[0.3, 0.4]], 1);
    expect(row[0]).toBeCloseTo(0.3, 10);
    expect(row[1]).toBeCloseTo(0.4, 10);
  });

  it('clips each example on its own and matches the library on random gradients', () => {
    const rng = new Rng(7);
    const grads = Array.from({ length: 12 }, (_, i) => Array.from({ length: 9 }, () => rng.normal() * (i + 1) * 0.3));
    const got = clipPerExample(grads, 2);
    const want = clipRows(tf.tensor2d(grads), 2).arraySync();
    got.forEach((row, i) => {
      expect(norm(row)).toBeLessThanOrEqual(2 + 1e-9);
      row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 4));
    });
  });

  it('does not modify its input and rejects a non-positive norm, naming it', () => {
    const input = [[6, 8]];
    clipPerExample(input, 5);
    expect(input).toEqual([[6, 8]]);
    expect(() => clipPerExample(input, -0.5)).toThrow(/-0\.5/);
  });
});

describe('ch11 federatedAverage', () => {
  it('weights each client by its number of examples', () => {
    const avg = federatedAverage([{ w: [0, 10] }, { w: [4, 2] }], [1, 3]);
    expect(avg.w[0]).toBeCloseTo(3, 10);
    expect(avg.w[1]).toBeCloseTo(4, 10);
  });

  it('averages every parameter name and gives a client with 0 examples no say', () => {
    const avg = federatedAverage([{ w: [2], b: [1, 1] }, { w: [100], b: [9, 9] }, { w: [4], b: [3, 5] }], [1, 0, 1]);
    expect(avg.w[0]).toBeCloseTo(3, 10);
    expect(avg.b[0]).toBeCloseTo(2, 10);
    expect(avg.b[1]).toBeCloseTo(3, 10);
  });

  it('matches the library on random clients', () => {
    const rng = new Rng(3);
    const clients = Array.from({ length: 5 }, () => ({ a: Array.from({ length: 6 }, () => rng.normal()), b: [rng.normal()] }));
    const counts = [5, 1, 12, 7, 3];
    const got = federatedAverage(clients, counts);
    const lib = libFederatedAverage(clients.map((c) => ({ a: tf.tensor1d(c.a), b: tf.tensor1d(c.b) })), counts);
    const want = lib.a.arraySync() as number[];
    got.a.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    expect(got.b[0]).toBeCloseTo((lib.b.arraySync() as number[])[0], 5);
  });

  it('rejects mismatched counts, naming both lengths, and a client missing a name', () => {
    expect(() => federatedAverage([{ w: [1] }, { w: [2] }, { w: [3] }, { w: [4] }], [1, 2, 3, 4, 5, 6, 7])).toThrow(/(4\D[\s\S]*7)|(7\D[\s\S]*4)/);
    expect(() => federatedAverage([{ w: [1], bias: [0] }, { w: [2] }], [1, 1])).toThrow(/bias/);
  });
});

describe('ch11 associationEffectSize', () => {
  const A = [[1, 0]];
  const B = [[0, 1]];
  const X = [[1, 0], [0.8, 0.6]];
  const Y = [[0, 1], [0.6, 0.8]];

  it('gives the worked example: 1.2 / √(2.08 / 3)', () => {
    expect(associationEffectSize(X, Y, A, B)).toBeCloseTo(1.2 / Math.sqrt(2.08 / 3), 8);
  });

  it('flips sign when the targets swap and ignores vector length (it uses cosines)', () => {
    const d = associationEffectSize(X, Y, A, B);
    expect(associationEffectSize(Y, X, A, B)).toBeCloseTo(-d, 8);
    expect(associationEffectSize(X.map((v) => v.map((x) => 5 * x)), Y, A.map((v) => v.map((x) => 0.2 * x)), B)).toBeCloseTo(d, 8);
  });

  it('uses the sample standard deviation and mean cosines over several attribute words', () => {
    const rng = new Rng(5);
    const vec = () => Array.from({ length: 10 }, () => rng.normal());
    const sets = Array.from({ length: 4 }, () => Array.from({ length: 5 }, vec));
    const [x, y, a, b] = sets;
    expect(associationEffectSize(x, y, a, b)).toBeCloseTo(weatEffectSize(x, y, a, b), 6);
  });
});
