// Chapter 5, hidden: causalSelfAttention on seeded random shapes, values, gradients and properties.
import { describe, expect, it } from 'vitest';
import { causalSelfAttention } from '@exercises/ch05-attention/self-attention';
import { addLinear, Rng, selfAttention, tf, type Params } from '@how-llms-work/lib';
import { maxDiff, namedGrads, randn, randomizeParams } from '../../../test/exercises/helpers';

const PREFIX = 'blocks.3.attn';

function attentionParams(C: number, seed: number, bias: boolean, std: number): Params {
  const params: Params = {};
  addLinear(params, `${PREFIX}.c_attn`, C, 3 * C, 0.02, bias, new Rng(seed));
  addLinear(params, `${PREFIX}.c_proj`, C, C, 0.02, bias, new Rng(seed + 1));
  randomizeParams(params, seed, std);
  return params;
}

/** Seeded random cases: batch, length, heads, head width, biases, weight scale. */
function cases(n: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const H = [1, 2, 3, 4][rng.int(4)];
    const D = [1, 2, 4, 5][rng.int(4)];
    return {
      B: 1 + rng.int(3),
      T: 1 + rng.int(9),
      H,
      C: H * D,
      bias: rng.int(3) > 0,
      std: [0.2, 0.5, 1.2][rng.int(3)],
      seed: seed * 100 + i,
    };
  });
}

describe('ch05 causalSelfAttention', () => {
  it("equals the library's layer on 12 seeded random shapes (with and without biases, small and large weights)", () => {
    for (const c of cases(12, 51)) {
      const params = attentionParams(c.C, c.seed, c.bias, c.std);
      const x = randn([c.B, c.T, c.C], c.seed + 7, 1.5) as tf.Tensor3D;
      const want = selfAttention(params, PREFIX, x, { nHead: c.H, causal: true });
      const got = causalSelfAttention(params, PREFIX, x, c.H);
      expect(got.shape, JSON.stringify(c)).toEqual([c.B, c.T, c.C]);
      expect(maxDiff(got, want), JSON.stringify(c)).toBeLessThan(2e-4);
      tf.dispose([x, want, got, ...Object.values(params)]);
    }
  });

  it("has the library's gradients for the input and every parameter on 6 seeded random shapes", () => {
    for (const c of cases(6, 52)) {
      const params = attentionParams(c.C, c.seed, c.bias, c.std);
      const x = tf.variable(randn([c.B, c.T, c.C], c.seed + 3));
      const upstream = randn([c.B, c.T, c.C], c.seed + 4);
      const vars = { ...params, x };
      const mine = namedGrads(
        () => causalSelfAttention(params, PREFIX, x as unknown as tf.Tensor3D, c.H),
        vars,
        upstream,
      );
      const lib = namedGrads(() => selfAttention(params, PREFIX, x, { nHead: c.H, causal: true }), vars, upstream);
      for (const name of Object.keys(vars))
        expect(maxDiff(mine[name], lib[name]), `${name} in ${JSON.stringify(c)}`).toBeLessThan(5e-4);
    }
  });

  it('is causal at every position: changing token t changes outputs t … T−1 and none before', () => {
    const params = attentionParams(12, 53, true, 0.5);
    const T = 7;
    const x = randn([2, T, 12], 54) as tf.Tensor3D;
    const base = causalSelfAttention(params, PREFIX, x, 3);
    for (let t = 0; t < T; t++) {
      const changed = tf.tidy(() => {
        const row = tf.oneHot([t], T).reshape([1, T, 1]); // 1 at position t
        return x.add(row.mul(randn([2, 1, 12], 60 + t, 2))) as tf.Tensor3D;
      });
      const out = causalSelfAttention(params, PREFIX, changed, 3);
      if (t > 0)
        expect(
          maxDiff(out.slice([0, 0, 0], [2, t, 12]), base.slice([0, 0, 0], [2, t, 12])),
          `positions before ${t}`,
        ).toBeLessThan(1e-6);
      expect(
        maxDiff(out.slice([0, t, 0], [2, T - t, 12]), base.slice([0, t, 0], [2, T - t, 12])),
        `positions from ${t}`,
      ).toBeGreaterThan(1e-3);
    }
  });

  it('treats batch rows independently: permuting the batch permutes the output', () => {
    const params = attentionParams(8, 55, true, 0.5);
    const x = randn([4, 5, 8], 56) as tf.Tensor3D;
    const order = [2, 0, 3, 1];
    const out = causalSelfAttention(params, PREFIX, x, 2);
    const permuted = causalSelfAttention(params, PREFIX, tf.gather(x, order) as tf.Tensor3D, 2);
    expect(maxDiff(permuted, tf.gather(out, order))).toBeLessThan(1e-5);
  });

  it('uses its heads: with one head the output differs from four heads, each matching the library', () => {
    const params = attentionParams(8, 57, true, 1);
    const x = randn([1, 6, 8], 58) as tf.Tensor3D;
    const one = causalSelfAttention(params, PREFIX, x, 1);
    const four = causalSelfAttention(params, PREFIX, x, 4);
    expect(maxDiff(one, four)).toBeGreaterThan(1e-3);
    expect(maxDiff(four, selfAttention(params, PREFIX, x, { nHead: 4, causal: true }))).toBeLessThan(1e-4);
  });

  it('stays finite and matches the library with huge scores (weights of scale 4)', () => {
    const params = attentionParams(8, 59, true, 4);
    const x = randn([2, 6, 8], 60, 3) as tf.Tensor3D;
    const got = causalSelfAttention(params, PREFIX, x, 2);
    expect(Array.from(got.dataSync()).every(Number.isFinite)).toBe(true);
    const want = selfAttention(params, PREFIX, x, { nHead: 2, causal: true });
    const scale = tf.tidy(() => want.abs().max().dataSync()[0]);
    expect(maxDiff(got, want) / scale).toBeLessThan(1e-4);
  });

  it('keeps the tensor count flat over a forward and backward loop', () => {
    const params = attentionParams(8, 61, true, 0.5);
    const x = randn([2, 4, 8], 62) as tf.Tensor3D;
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => causalSelfAttention(params, PREFIX, x, 2).square().mean() as tf.Scalar,
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
