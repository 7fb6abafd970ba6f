// Chapter 5: causal multi-head self-attention with its projections, against the library's layer.
import { describe, expect, it } from 'vitest';
import { causalSelfAttention } from '@exercises/ch05-attention/self-attention';
import { addLinear, Rng, selfAttention, tf, type Params } from '@how-llms-work/lib';
import { maxDiff, namedGrads, randn, randomizeParams } from '../helpers';

const PREFIX = 'transformer.h.0.attn';

/** Attention parameters named as the library names them, with seeded random values. */
function attentionParams(C: number, seed: number, bias = true): Params {
  const params: Params = {};
  addLinear(params, `${PREFIX}.c_attn`, C, 3 * C, 0.02, bias, new Rng(seed));
  addLinear(params, `${PREFIX}.c_proj`, C, C, 0.02, bias, new Rng(seed + 1));
  randomizeParams(params, seed, 0.4);
  return params;
}

describe('ch05 causalSelfAttention', () => {
  it('computes the worked example: each position averages x over itself and the past', () => {
    const C = 2;
    const params: Params = {
      [`${PREFIX}.c_attn.weight`]: tf.variable(tf.concat([tf.zeros([2 * C, C]), tf.eye(C)])),
      [`${PREFIX}.c_attn.bias`]: tf.variable(tf.zeros([3 * C])),
      [`${PREFIX}.c_proj.weight`]: tf.variable(tf.eye(C)),
      [`${PREFIX}.c_proj.bias`]: tf.variable(tf.zeros([C])),
    };
    const out = causalSelfAttention(
      params,
      PREFIX,
      tf.tensor3d([
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]),
      1,
    );
    expect(out.shape).toEqual([1, 3, 2]);
    expect(
      maxDiff(
        out,
        tf.tensor3d([
          [
            [1, 2],
            [2, 3],
            [3, 4],
          ],
        ]),
      ),
    ).toBeLessThan(1e-5);
  });

  it("equals the library's layer on random weights (B 2, T 5, C 8, 2 heads)", () => {
    const params = attentionParams(8, 1);
    const x = randn([2, 5, 8], 2) as tf.Tensor3D;
    const mine = causalSelfAttention(params, PREFIX, x, 2);
    expect(mine.shape).toEqual([2, 5, 8]);
    expect(maxDiff(mine, selfAttention(params, PREFIX, x, { nHead: 2, causal: true }))).toBeLessThan(1e-4);
  });

  it('is causal: changing the last token changes no earlier output', () => {
    const params = attentionParams(8, 3);
    const x = randn([1, 6, 8], 4) as tf.Tensor3D;
    const changed = tf.concat([x.slice([0, 0, 0], [1, 5, 8]), randn([1, 1, 8], 5)], 1) as tf.Tensor3D;
    const [a, b] = [causalSelfAttention(params, PREFIX, x, 2), causalSelfAttention(params, PREFIX, changed, 2)];
    expect(maxDiff(a.slice([0, 0, 0], [1, 5, 8]), b.slice([0, 0, 0], [1, 5, 8]))).toBeLessThan(1e-6);
    expect(maxDiff(a.slice([0, 5, 0], [1, 1, 8]), b.slice([0, 5, 0], [1, 1, 8]))).toBeGreaterThan(1e-3);
  });

  it("has the library's gradients for x and every parameter (tf.grad)", () => {
    const params = attentionParams(8, 6);
    const x = tf.variable(randn([2, 4, 8], 7));
    const upstream = randn([2, 4, 8], 8);
    const vars = { ...params, x };
    const mine = namedGrads(() => causalSelfAttention(params, PREFIX, x as unknown as tf.Tensor3D, 4), vars, upstream);
    const lib = namedGrads(() => selfAttention(params, PREFIX, x, { nHead: 4, causal: true }), vars, upstream);
    for (const name of Object.keys(vars)) expect(maxDiff(mine[name], lib[name]), name).toBeLessThan(1e-4);
  });

  it('leaves no tensor behind and names C and nHead when they do not divide', () => {
    const params = attentionParams(8, 9);
    const x = randn([1, 3, 8], 10) as tf.Tensor3D;
    causalSelfAttention(params, PREFIX, x, 2).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) causalSelfAttention(params, PREFIX, x, 2).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => causalSelfAttention(params, PREFIX, x, 3)).toThrow(/8[\s\S]*3|3[\s\S]*8/);
  });
});
