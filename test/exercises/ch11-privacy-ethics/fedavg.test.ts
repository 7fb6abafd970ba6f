// Tests of exercises/ch11-privacy-ethics/fedavg.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { federatedAverage } from '@exercises/ch11-privacy-ethics/fedavg';
import { federatedAverage as libFederatedAverage, Rng, tf } from '@how-llms-work/lib';

describe('ch11 federatedAverage', () => {
  it('weights each client by its number of examples', () => {
    const avg = federatedAverage([{ w: [0, 10] }, { w: [4, 2] }], [1, 3]);
    expect(avg.w[0]).toBeCloseTo(3, 10);
    expect(avg.w[1]).toBeCloseTo(4, 10);
  });

  it('averages every parameter name and gives a client with 0 examples no say', () => {
    const avg = federatedAverage(
      [
        { w: [2], b: [1, 1] },
        { w: [100], b: [9, 9] },
        { w: [4], b: [3, 5] },
      ],
      [1, 0, 1],
    );
    expect(avg.w[0]).toBeCloseTo(3, 10);
    expect(avg.b[0]).toBeCloseTo(2, 10);
    expect(avg.b[1]).toBeCloseTo(3, 10);
  });

  it('matches the library on random clients', () => {
    const rng = new Rng(3);
    const clients = Array.from({ length: 5 }, () => ({
      a: Array.from({ length: 6 }, () => rng.normal()),
      b: [rng.normal()],
    }));
    const counts = [5, 1, 12, 7, 3];
    const got = federatedAverage(clients, counts);
    const lib = libFederatedAverage(
      clients.map((c) => ({ a: tf.tensor1d(c.a), b: tf.tensor1d(c.b) })),
      counts,
    );
    const want = lib.a.arraySync() as number[];
    got.a.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    expect(got.b[0]).toBeCloseTo((lib.b.arraySync() as number[])[0], 5);
  });

  it('rejects mismatched counts, naming both lengths, and a client missing a name', () => {
    expect(() => federatedAverage([{ w: [1] }, { w: [2] }, { w: [3] }, { w: [4] }], [1, 2, 3, 4, 5, 6, 7])).toThrow(
      /(4\D[\s\S]*7)|(7\D[\s\S]*4)/,
    );
    expect(() => federatedAverage([{ w: [1], bias: [0] }, { w: [2] }], [1, 1])).toThrow(/bias/);
  });
});
