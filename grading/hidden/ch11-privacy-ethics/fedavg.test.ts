// Hidden tests of exercises/ch11-privacy-ethics/fedavg.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { federatedAverage } from '@exercises/ch11-privacy-ethics/fedavg';
import { federatedAverage as libraryFederatedAverage, Rng, tf } from '@how-llms-work/lib';

describe('ch11 federatedAverage', () => {
  it('gives back one client, and depends only on the ratios of the counts', () => {
    expect(federatedAverage([{ a: [1, -2], b: [3] }], [5])).toEqual({ a: [1, -2], b: [3] });
    const clients = [{ w: [1, 2, 3] }, { w: [5, 6, 7] }, { w: [-1, 0, 9] }];
    const a = federatedAverage(clients, [1, 2, 1]);
    const b = federatedAverage(clients, [10, 20, 10]);
    a.w.forEach((v, i) => expect(b.w[i]).toBeCloseTo(v, 12));
    [(1 + 10 - 1) / 4, (2 + 12 + 0) / 4, (3 + 14 + 9) / 4].forEach((v, i) => expect(a.w[i]).toBeCloseTo(v, 12));
  });
  it('does not modify the clients', () => {
    const clients = [{ w: [2, 4] }, { w: [6, 8] }];
    federatedAverage(clients, [3, 1]);
    expect(clients).toEqual([{ w: [2, 4] }, { w: [6, 8] }]);
  });
  it('rejects no clients, a negative count and all-zero counts', () => {
    expect(federatedAverage([{ w: [1] }, { w: [3] }], [0, 2])).toEqual({ w: [3] });
    for (const bad of [
      () => federatedAverage([], []),
      () => federatedAverage([{ w: [1] }, { w: [2] }], [-1, 3]),
      () => federatedAverage([{ w: [1] }], [0]),
    ]) {
      expect(bad).toThrow();
      expect(bad).not.toThrow(/TODO/);
    }
  });
  it("equals the library's FedAvg on seeded random clients and counts, and is unchanged by the clients' order", () => {
    const rng = new Rng(1101);
    for (let trial = 0; trial < 8; trial++) {
      const K = 1 + rng.int(5);
      const sizes = { w: 1 + rng.int(10), b: 1 + rng.int(4) };
      const clients = Array.from({ length: K }, () => ({
        w: Array.from({ length: sizes.w }, () => rng.normal()),
        b: Array.from({ length: sizes.b }, () => rng.normal()),
      }));
      const counts = clients.map(() => rng.int(50));
      counts[0] += 1; // never all zero
      const got = federatedAverage(clients, counts);
      const want = libraryFederatedAverage(
        clients.map((c) => ({ w: tf.tensor1d(c.w), b: tf.tensor1d(c.b) })),
        counts,
      );
      const reversed = federatedAverage([...clients].reverse(), [...counts].reverse());
      for (const name of ['w', 'b'] as const) {
        const w = Array.from(want[name].dataSync());
        got[name].forEach((v, i) => expect(v).toBeCloseTo(w[i], 5));
        reversed[name].forEach((v, i) => expect(v).toBeCloseTo(w[i], 5));
      }
    }
  });
});
