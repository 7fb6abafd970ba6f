// Chapter 13 hidden tests for the SFT loss mask.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { assistantTargets } from '@exercises/ch13-assistant/sft-mask';

describe('ch13 assistantTargets', () => {
  it('reads the flag at the predicted token, including a reply that starts at position 1 and multi-turn flags', () => {
    expect(assistantTargets([9, 4], [false, true])).toEqual([4]);
    expect(assistantTargets([9], [true])).toEqual([]);
    expect(assistantTargets([1, 2, 3, 4, 5, 6], [false, true, false, false, true, true])).toEqual([2, -1, -1, 5, 6]);
    expect(assistantTargets([1, 2, 3], [true, false, false])).toEqual([-1, -1]);
  });

  it('agrees with the library on random flags, and does not modify its inputs', () => {
    const rng = new L.Rng(17);
    for (let k = 0; k < 50; k++) {
      const T = 1 + rng.int(20);
      const ids = Array.from({ length: T }, () => rng.int(100));
      const flags = Array.from({ length: T }, () => rng.next() < 0.5);
      const copy = [...ids];
      expect(assistantTargets(ids, flags)).toEqual(L.assistantTargets(ids, flags));
      expect(ids).toEqual(copy);
    }
  });

  it('gives a masked loss that ignores every prompt target', () => {
    const ids = [3, 1, 4, 1, 5, 9, 2];
    const flags = [false, false, false, false, true, true, true];
    const changed = [3, 7, 7, 7, 5, 9, 2];
    expect(assistantTargets(changed, flags)).toEqual(assistantTargets(ids, flags));
  });
});
