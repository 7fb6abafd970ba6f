// Autodiff against central finite differences for the model's parts. In float32 a difference quotient with
// h = 1e-2 carries ~1e-4 of rounding noise, so errors are measured against the gradient's scale (the largest
// checked entry), not entry by entry: a tiny entry's 5% noise is not a wrong gradient; a wrong path shows on the large ones.
import { describe, expect, it } from 'vitest';
import {
  causalMask,
  gradientCheck,
  initEncoderDecoder,
  initGPT,
  layerNorm,
  paddingMask,
  disposeNamed,
  Rng,
  scaledDotProductAttention,
  tf,
  transformerBlock,
  type Params,
} from '@how-llms-work/lib';

const TOL = 1e-2;

/** Worst |analytic − numeric| over the checked coordinates, relative to the largest checked magnitude. */
function scaledError(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, samples: number): number {
  const { checked } = gradientCheck(f, x, { samples });
  const scale = Math.max(1e-3, ...checked.map((c) => Math.max(Math.abs(c.analytic), Math.abs(c.numeric))));
  return Math.max(...checked.map((c) => Math.abs(c.analytic - c.numeric))) / scale;
}

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * std),
    shape,
  );
}

/** A scalar that depends on every output entry differently (a plain sum of softmax rows would be constant). */
function probe(shape: number[], seed: number): (y: tf.Tensor) => tf.Scalar {
  const r = randn(shape, seed);
  return (y) => y.mul(r).sum() as tf.Scalar;
}

describe('gradient checks', () => {
  it('layer norm: input, gain and bias', () => {
    const x = randn([2, 3, 6], 1);
    const w = randn([6], 2, 0.5).add(1);
    const b = randn([6], 3, 0.5);
    const p = probe([2, 3, 6], 4);
    expect(scaledError((t) => p(layerNorm(t, w, b)), x, 12)).toBeLessThan(TOL);
    expect(scaledError((t) => p(layerNorm(x, t, b)), w, 6)).toBeLessThan(TOL);
    expect(scaledError((t) => p(layerNorm(x, w, t)), b, 6)).toBeLessThan(TOL);
    tf.dispose([x, w, b]);
  });

  it('scaled dot-product attention with causal and padding masks: queries, keys, values', () => {
    const [q, k, v] = [randn([2, 2, 4, 3], 5), randn([2, 2, 4, 3], 6), randn([2, 2, 4, 3], 7)];
    const keep = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ]);
    const mask = causalMask(4, 4).add(paddingMask(keep));
    const p = probe([2, 2, 4, 3], 8);
    const attn = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      p(scaledDotProductAttention(qq, kk, vv, { mask }).output);
    expect(scaledError((t) => attn(t, k, v), q, 12)).toBeLessThan(TOL);
    expect(scaledError((t) => attn(q, t, v), k, 12)).toBeLessThan(TOL);
    expect(scaledError((t) => attn(q, k, t), v, 12)).toBeLessThan(TOL);
    tf.dispose([q, k, v, keep, mask]);
  });

  const withParam = (params: Params, name: string, t: tf.Tensor): Params => ({ ...params, [name]: t as tf.Variable });

  for (const norm of ['pre', 'post'] as const) {
    it(`a whole ${norm}-LN block: input and every kind of parameter`, () => {
      const config = { vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 8, norm, positional: 'rope' as const };
      const params = initGPT(config, 9);
      // Larger weights than GPT-2's init, so that attention is far from uniform and every path matters.
      for (const [name, value] of Object.entries(params))
        if (value.rank === 2) value.assign(randn(value.shape, name.length, 0.4));
      const x = randn([2, 4, 8], 10);
      const p = probe([2, 4, 8], 11);
      const block = (ps: Params, input: tf.Tensor) =>
        p(transformerBlock(ps, 'transformer.h.0', input, config, { causal: true, rope: true }));
      expect(scaledError((t) => block(params, t), x, 12)).toBeLessThan(TOL);
      for (const name of [
        'attn.c_attn.weight',
        'attn.c_proj.bias',
        'ln_1.weight',
        'mlp.c_fc.weight',
        'mlp.c_proj.weight',
        'ln_2.bias',
      ]) {
        const full = `transformer.h.0.${name}`;
        expect(
          scaledError((t) => block(withParam(params, full, t), x), params[full], 8),
          full,
        ).toBeLessThan(TOL);
      }
      x.dispose();
      disposeNamed(params);
    });
  }

  it('a decoder block with cross-attention: input, memory and the cross-attention weights', () => {
    const config = { srcVocabSize: 5, tgtVocabSize: 5, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 6 };
    const params = initEncoderDecoder(config, 12);
    for (const [name, value] of Object.entries(params))
      if (value.rank === 2) value.assign(randn(value.shape, name.length + 1, 0.4));
    const x = randn([1, 3, 6], 13);
    const memory = randn([1, 4, 6], 14);
    const p = probe([1, 3, 6], 15);
    const block = (ps: Params, input: tf.Tensor, mem: tf.Tensor) =>
      p(transformerBlock(ps, 'decoder.h.0', input, config, { causal: true, memory: mem }));
    expect(scaledError((t) => block(params, t, memory), x, 10)).toBeLessThan(TOL);
    expect(scaledError((t) => block(params, x, t), memory, 10)).toBeLessThan(TOL);
    const name = 'decoder.h.0.cross_attn.c_kv.weight';
    expect(scaledError((t) => block(withParam(params, name, t), x, memory), params[name], 10)).toBeLessThan(TOL);
    tf.dispose([x, memory]);
    disposeNamed(params);
  });
});
