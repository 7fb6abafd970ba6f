// Hidden tests of exercises/ch11-privacy-ethics/fedavg.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { federatedAverage } from '@exercises/ch11-privacy-ethics/fedavg';

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
    for (const bad of [() => federatedAverage([], []), () => federatedAverage([{ w: [1] }, { w: [2] }], [-1, 3]), () => federatedAverage([{ w: [1] }], [0])]) {
      expect(bad).toThrow();
      expect(bad).not.toThrow(/TODO/);
    }
  });
});
