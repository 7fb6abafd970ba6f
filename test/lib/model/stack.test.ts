import { describe, expect, it } from 'vitest';
import {
  countParameters,
  decodeTarget,
  disposeNamed,
  encodeSource,
  encoderDecoderForward,
  encoderDecoderParameterCount,
  initEncoderDecoder,
  sinusoidalEncoding,
  tf,
  type EncoderDecoderConfig,
} from '@how-llms-work/lib';

const config: EncoderDecoderConfig = { srcVocabSize: 9, tgtVocabSize: 7, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 };
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('encoder–decoder', () => {
  for (const variant of [{}, { bias: false }, { norm: 'post' as const }]) {
    it(`counts parameters by formula ${JSON.stringify(variant)}`, () => {
      const c = { ...config, ...variant };
      const params = initEncoderDecoder(c, 1);
      expect(countParameters(params)).toBe(encoderDecoderParameterCount(c));
      expect(Object.keys(params)).toContain('decoder.h.1.cross_attn.c_kv.weight');
      expect(Object.keys(params).some((n) => n.startsWith('encoder.') && n.includes('cross'))).toBe(false);
      disposeNamed(params);
    });
  }

  it('scales token embeddings by √C before adding the sinusoidal positions, as the 2017 paper does', () => {
    const c = { ...config, nLayer: 0, norm: 'post' as const }; // no blocks, no final norm: the encoder is its embedding
    const params = initEncoderDecoder(c, 5);
    const ids = tf.tensor2d([[3, 1, 4]], undefined, 'int32');
    tf.tidy(() => {
      const want = tf
        .gather(params['encoder.wte.weight'], ids.reshape([-1]))
        .mul(Math.sqrt(8))
        .add(sinusoidalEncoding(3, 8))
        .reshape([1, 3, 8]);
      expect(maxDiff(encodeSource(params, c, ids), want)).toBeLessThan(1e-6);
    });
    ids.dispose();
    disposeNamed(params);
  });

  it('encodes bidirectionally: the last source token changes the first position’s memory', () => {
    const params = initEncoderDecoder(config, 2);
    const a = encodeSource(params, config, tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32'));
    const b = encodeSource(params, config, tf.tensor2d([[1, 2, 3, 5]], undefined, 'int32'));
    expect(a.shape).toEqual([1, 4, 8]);
    // A causal encoder would give exactly 0 here: the masked key's weight is exp(-1e9) = 0.
    expect(maxDiff(a.slice([0, 0, 0], [1, 1, -1]), b.slice([0, 0, 0], [1, 1, -1]))).toBeGreaterThan(1e-6);
    tf.dispose([a, b]);
    disposeNamed(params);
  });

  it('decodes causally, and padding in the source changes nothing', () => {
    const params = initEncoderDecoder(config, 3);
    const keep = tf.tensor2d([[1, 1, 1, 0, 0]], undefined, 'float32');
    const src1 = tf.tensor2d([[1, 2, 3, 0, 0]], undefined, 'int32');
    const src2 = tf.tensor2d([[1, 2, 3, 8, 7]], undefined, 'int32');
    const tgt1 = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const tgt2 = tf.tensor2d([[1, 2, 6]], undefined, 'int32');
    const l11 = encoderDecoderForward(params, config, src1, tgt1, keep);
    const l21 = encoderDecoderForward(params, config, src2, tgt1, keep);
    const l12 = encoderDecoderForward(params, config, src1, tgt2, keep);
    expect(l11.shape).toEqual([1, 3, 7]);
    expect(maxDiff(l11, l21)).toBeLessThan(1e-5); // padded source tokens are invisible
    expect(maxDiff(l11.slice([0, 0, 0], [1, 2, -1]), l12.slice([0, 0, 0], [1, 2, -1]))).toBeLessThan(1e-5); // the future is invisible
    expect(maxDiff(l11, l12)).toBeGreaterThan(1e-4);
    tf.dispose([keep, src1, src2, tgt1, tgt2, l11, l21, l12]);
    disposeNamed(params);
  });

  it('returns cross-attention weights (B, H, T, S) that put no weight on padding; memory stays flat', () => {
    const params = initEncoderDecoder(config, 4);
    const keep = tf.tensor2d([[1, 1, 0]], undefined, 'float32');
    const src = tf.tensor2d([[3, 4, 0]], undefined, 'int32');
    const tgt = tf.tensor2d([[1, 2]], undefined, 'int32');
    const run = () => {
      const crossWeights: tf.Tensor[] = [];
      const memory = encodeSource(params, config, src, keep);
      const logits = decodeTarget(params, config, tgt, memory, { srcKeep: keep, crossWeights });
      const shapes = crossWeights.map((w) => w.shape);
      const padWeight = tf.tidy(() => crossWeights[0].slice([0, 0, 0, 2], [1, 2, 2, 1]).max().dataSync()[0]);
      tf.dispose([memory, logits, ...crossWeights]);
      return { shapes, padWeight };
    };
    const first = run();
    expect(first.shapes).toEqual([
      [1, 2, 2, 3],
      [1, 2, 2, 3],
    ]);
    expect(first.padWeight).toBe(0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([keep, src, tgt]);
    disposeNamed(params);
  });
});
