import { describe, expect, it } from 'vitest';
import {
  dequantizeTensor,
  integerRange,
  quantizeParams,
  quantizeTensor,
  quantizedBytes,
  tf,
  type QuantizeOptions,
} from '@how-llms-work/lib';

const opts = (
  bits: number,
  scheme: QuantizeOptions['scheme'],
  granularity: QuantizeOptions['granularity'],
): QuantizeOptions => ({ bits, scheme, granularity });

function maxAbsError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(a.sub(b))).dataSync()[0]);
}

describe('integer ranges', () => {
  it('are ±127 / 0…255 for int8 and ±7 / 0…15 for int4', () => {
    expect(integerRange(8, 'symmetric')).toEqual({ qmin: -127, qmax: 127 });
    expect(integerRange(8, 'asymmetric')).toEqual({ qmin: 0, qmax: 255 });
    expect(integerRange(4, 'symmetric')).toEqual({ qmin: -7, qmax: 7 });
    expect(() => integerRange(1, 'symmetric')).toThrow(/bits must be an integer from 2 to 16, got 1/);
  });
});

describe('quantize / dequantize', () => {
  it('maps known values as torch.quantize_per_tensor would (round half to even)', () => {
    const x = tf.tensor1d([-1, 0, 0.5, 1]);
    const s = quantizeTensor(x, opts(8, 'symmetric', 'tensor'));
    expect(s.scale[0]).toBeCloseTo(1 / 127, 9);
    expect(Array.from(s.q)).toEqual([-127, 0, 64, 127]); // 0.5·127 = 63.5 → 64 (even)
    const a = quantizeTensor(x, opts(8, 'asymmetric', 'tensor'));
    expect(a.scale[0]).toBeCloseTo(2 / 255, 9);
    expect(a.zeroPoint[0]).toBe(128); // 127.5 → 128
    expect(Array.from(a.q)).toEqual([1, 128, 192, 255]); // torch.quantize_per_tensor(x, 2/255, 128, quint8) gives the same: −1/scale is −127.49… in fp32
    expect(dequantizeTensor(a).dataSync()[1]).toBe(0); // zero stays exact
    tf.dispose(x);
  });

  it('keeps the round-trip error within half a step for every scheme and width', () => {
    const x = tf.randomNormal([16, 32], 0, 1, 'float32', 3);
    for (const bits of [8, 4]) {
      for (const scheme of ['symmetric', 'asymmetric'] as const) {
        for (const granularity of ['tensor', 'channel'] as const) {
          const qt = quantizeTensor(x, opts(bits, scheme, granularity));
          const back = dequantizeTensor(qt);
          expect(back.shape).toEqual([16, 32]);
          expect(maxAbsError(x, back)).toBeLessThanOrEqual(Math.max(...qt.scale) / 2 + 1e-6);
          const { qmin, qmax } = integerRange(bits, scheme);
          expect(Math.min(...qt.q)).toBeGreaterThanOrEqual(qmin);
          expect(Math.max(...qt.q)).toBeLessThanOrEqual(qmax);
          back.dispose();
        }
      }
    }
    x.dispose();
  });

  it("per-channel protects small rows from another row's outlier", () => {
    const x = tf.tidy(() =>
      tf.concat([tf.randomNormal([1, 64], 0, 10, 'float32', 1), tf.randomNormal([7, 64], 0, 0.01, 'float32', 2)]),
    );
    const perTensor = dequantizeTensor(quantizeTensor(x, opts(8, 'symmetric', 'tensor')));
    const perChannel = dequantizeTensor(quantizeTensor(x, opts(8, 'symmetric', 'channel')));
    const small = (t: tf.Tensor) => t.slice([1, 0], [7, 64]);
    const errTensor = tf.tidy(() => maxAbsError(small(x), small(perTensor)));
    const errChannel = tf.tidy(() => maxAbsError(small(x), small(perChannel)));
    expect(errChannel * 50).toBeLessThan(errTensor);
    const int4 = dequantizeTensor(quantizeTensor(x, opts(4, 'symmetric', 'channel')));
    expect(maxAbsError(x, int4)).toBeGreaterThan(maxAbsError(x, perChannel));
    tf.dispose([x, perTensor, perChannel, int4]);
  });

  it('counts bytes: packed integers plus scales (and zero points)', () => {
    const x = tf.zeros([10, 8]);
    expect(quantizedBytes(quantizeTensor(x, opts(8, 'symmetric', 'tensor')))).toBe(80 + 4);
    expect(quantizedBytes(quantizeTensor(x, opts(4, 'symmetric', 'channel')))).toBe(40 + 4 * 10);
    expect(quantizedBytes(quantizeTensor(x, opts(8, 'asymmetric', 'channel')))).toBe(80 + 4 * 10 + 10);
    expect(() => quantizeTensor(x, { bits: 8, scheme: 'symmetric', granularity: 'channel', axis: 2 })).toThrow(
      /per-channel axis 2 is outside a rank-2 tensor/,
    );
    x.dispose();
  });

  it("quantizes a model's matrices and keeps vectors in fp32", () => {
    const params = {
      'fc.weight': tf.randomNormal([8, 4], 0, 1, 'float32', 5),
      'fc.bias': tf.tensor1d([0.1, 0.2, 0.3, 0.123456]),
    };
    const q = quantizeParams(params, opts(8, 'symmetric', 'channel'));
    expect(q.bytes).toBe(32 + 4 * 8 + 4 * 4);
    expect(Array.from(q.params['fc.bias'].dataSync())).toEqual(Array.from(params['fc.bias'].dataSync()));
    expect(q.rmsError).toBeGreaterThan(0);
    expect(q.rmsError).toBeLessThan(0.02);
    tf.dispose([params, q.params]);
  });
});

describe('per-group quantization', () => {
  const groupOpts = (groupSize: number, scheme: QuantizeOptions['scheme'] = 'symmetric'): QuantizeOptions => ({
    bits: 4,
    scheme,
    granularity: 'group',
    groupSize,
  });

  it('gives each run of groupSize weights along the last axis its own scale: per-channel on the (−1, groupSize) view', () => {
    const w = tf.randomNormal([6, 16], 0, 1, 'float32', 3);
    for (const scheme of ['symmetric', 'asymmetric'] as const) {
      const grouped = quantizeTensor(w, groupOpts(4, scheme));
      const viaChannels = quantizeTensor(w.reshape([-1, 4]), { bits: 4, scheme, granularity: 'channel', axis: 0 });
      expect(grouped.scale.length).toBe(24);
      expect(Array.from(grouped.q)).toEqual(Array.from(viaChannels.q));
      expect(Array.from(grouped.scale)).toEqual(Array.from(viaChannels.scale));
      const back = dequantizeTensor(grouped);
      expect(back.shape).toEqual([6, 16]);
      expect(maxAbsError(back, dequantizeTensor(viaChannels).reshape([6, 16]))).toBe(0);
      expect(quantizedBytes(grouped)).toBe(96 / 2 + 4 * 24 + (scheme === 'asymmetric' ? 24 : 0));
    }
  });

  it('is finer than per-channel when a row holds an outlier, and refuses a group size that does not divide the row', () => {
    const w = tf.tidy(() =>
      tf.randomNormal([4, 64], 0, 0.02, 'float32', 5).add(
        tf
          .oneHot([[0]], 256)
          .reshape([4, 64])
          .mul(3),
      ),
    );
    // Mean error: the outlier coarsens its whole row per-channel, only its own group of 16 per-group.
    const err = (o: QuantizeOptions) =>
      tf.tidy(() => tf.mean(tf.abs(dequantizeTensor(quantizeTensor(w, o)).sub(w))).dataSync()[0]);
    expect(err(groupOpts(16))).toBeLessThan(err(opts(4, 'symmetric', 'channel')) / 1.5);
    expect(() => quantizeTensor(w, groupOpts(24))).toThrow(/groupSize.*64.*24/);
  });
});
