import { describe, expect, it } from 'vitest';
import { allReduceMean, averageArrays, ringAllReduce, tf, weightedSumInto } from '@how-llms-work/lib';

describe('all-reduce', () => {
  it('averages named gradients with shard-size weights', () => {
    const a = { w: tf.tensor1d([1, 2]), b: tf.scalar(0) };
    const b = { w: tf.tensor1d([4, 8]), b: tf.scalar(3) };
    const before = tf.memory().numTensors;
    const mean = allReduceMean([a, b], [1, 2]);
    expect(tf.memory().numTensors).toBe(before + 2); // only the two results survive
    expect(Array.from(mean.w.dataSync())).toEqual([3, 6]);
    expect(mean.b.dataSync()[0]).toBe(2);
    const equal = allReduceMean([a, b]);
    expect(Array.from(equal.w.dataSync())).toEqual([2.5, 5]);
    expect(() => allReduceMean([a, { w: b.w }])).toThrow(/worker 1's gradients do not have the same names.*missing: b/);
    tf.dispose([a, b, mean, equal]);
  });

  it('averages flat arrays the same way', () => {
    const out = averageArrays([Float32Array.from([1, 2]), Float32Array.from([4, 8])], [1, 2]);
    expect(Array.from(out)).toEqual([3, 6]);
    expect(() => averageArrays([new Float32Array(2), new Float32Array(3)])).toThrow(/array 1 has length 3, expected 2/);
  });

  it('sums weighted arrays in a fixed order into a buffer, for 1, 2 and 3 workers', () => {
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([4, 8, 16]);
    const c = Float32Array.from([0.1, 0.2, 0.3]);
    const out = new Float32Array(3);
    expect(Array.from(weightedSumInto(out, [a], [2]))).toEqual([2, 4, 6]);
    expect(Array.from(weightedSumInto(out, [a, b], [0.5, 0.5]))).toEqual([2.5, 5, 9.5]);
    const three = weightedSumInto(out, [a, b, c], [0.25, 0.25, 0.5]);
    const mean = averageArrays([a, b, c], [1, 1, 2]);
    three.forEach((v, i) => expect(v).toBeCloseTo(mean[i], 6));
    // Bit for bit the same on a second call: what keeps every worker's copy identical.
    expect(Array.from(weightedSumInto(new Float32Array(3), [a, b, c], [0.25, 0.25, 0.5]))).toEqual(Array.from(three));
    expect(() => weightedSumInto(out, [a, b], [1])).toThrow(/as many weights as arrays/);
    expect(() => weightedSumInto(out, [a, Float32Array.from([1])], [1, 1])).toThrow(/array 1 has length 1, expected 3/);
  });

  it('ring all-reduce gives every worker the exact sum and sends 2(N-1)/N of the buffer', () => {
    for (const N of [1, 2, 3, 4]) {
      const size = 12;
      const buffers = Array.from({ length: N }, (_, w) =>
        Float32Array.from({ length: size }, (_, i) => (w + 1) * 10 + i),
      );
      const sum = Float32Array.from({ length: size }, (_, i) => buffers.reduce((s, b) => s + b[i], 0));
      const { results, floatsSentPerWorker, steps } = ringAllReduce(buffers);
      for (const r of results) expect(Array.from(r)).toEqual(Array.from(sum));
      expect(floatsSentPerWorker).toBe((2 * (N - 1) * size) / N);
      expect(steps).toBe(2 * (N - 1));
      expect(buffers[0][0]).toBe(10); // inputs are not modified
    }
  });
});
