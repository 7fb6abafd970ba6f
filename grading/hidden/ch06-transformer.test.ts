// Chapter 6 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { layerNormLastAxis } from '@exercises/ch06-transformer/layernorm';
import { preLNBlock } from '@exercises/ch06-transformer/block';
import { gptParameterFormula } from '@exercises/ch06-transformer/count';
import { countParameters, disposeNamed, initGPT, Rng, tf, transformerBlock, type GPTConfig } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape);
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch06 layerNormLastAxis', () => {
  it('matches the formula by hand on rows of width 3 with a custom ε', () => {
    const rows = [[1, 2, 6], [-2, 0.5, 0.5]];
    const [g, b, eps] = [[2, -1, 0.5], [0.1, 0.2, 0.3], 0.1];
    const got = layerNormLastAxis(tf.tensor2d(rows), tf.tensor1d(g), tf.tensor1d(b), eps).arraySync() as number[][];
    rows.forEach((row, i) => {
      const mu = row.reduce((s, x) => s + x, 0) / 3;
      const v = row.reduce((s, x) => s + (x - mu) ** 2, 0) / 3;
      row.forEach((x, j) => expect(got[i][j]).toBeCloseTo(((x - mu) / Math.sqrt(v + eps)) * g[j] + b[j], 5));
    });
  });
  it('normalises a 1-D vector, and ignores a positive scale and a shift of the input', () => {
    const x = randn([6], 61, 10);
    const [g, b] = [randn([6], 62), randn([6], 63)];
    const y = layerNormLastAxis(x, g, b);
    expect(y.shape).toEqual([6]);
    expect(maxDiff(layerNormLastAxis(x.mul(7).add(-40), g, b), y)).toBeLessThan(1e-4);
  });
});

describe('ch06 preLNBlock', () => {
  const config: GPTConfig = { vocabSize: 5, blockSize: 4, nLayer: 2, nHead: 4, nEmbd: 8 };
  const bigParams = () => {
    const params = initGPT(config, 9);
    for (const [name, value] of Object.entries(params)) {
      const seed = [...name].reduce((s, c, i) => s + c.charCodeAt(0) * (i + 1), 0); // differs between layers
      value.assign(name.includes('.ln_') && name.endsWith('.weight') ? randn(value.shape, seed, 0.3).add(1) : randn(value.shape, seed, 0.3));
    }
    return params;
  };

  it('uses the prefix it is given and the number of heads (second layer, 4 heads)', () => {
    const params = bigParams();
    const x = randn([2, 4, 8], 64) as tf.Tensor3D;
    const want = transformerBlock(params, 'transformer.h.1', x, config, { causal: true });
    expect(maxDiff(preLNBlock(params, 'transformer.h.1', x, 4), want)).toBeLessThan(1e-4);
    expect(maxDiff(preLNBlock(params, 'transformer.h.0', x, 4), want)).toBeGreaterThan(1e-3);
    disposeNamed(params);
  });
  it('treats batch rows independently', () => {
    const params = bigParams();
    const x = randn([3, 2, 8], 65) as tf.Tensor3D;
    const all = preLNBlock(params, 'transformer.h.0', x, 4);
    const alone = preLNBlock(params, 'transformer.h.0', x.slice([1, 0, 0], [1, 2, 8]) as tf.Tensor3D, 4);
    expect(maxDiff(all.slice([1, 0, 0], [1, 2, 8]), alone)).toBeLessThan(1e-5);
    disposeNamed(params);
  });
});

describe('ch06 gptParameterFormula', () => {
  it('counts only embeddings and the final norm with no layers', () => {
    expect(gptParameterFormula({ vocabSize: 10, blockSize: 6, nLayer: 0, nHead: 1, nEmbd: 4 })).toBe(10 * 4 + 6 * 4 + 2 * 4);
    expect(gptParameterFormula({ vocabSize: 10, blockSize: 6, nLayer: 0, nHead: 1, nEmbd: 4, bias: false })).toBe(10 * 4 + 6 * 4 + 4);
  });
  it('adds 12C² + 13C per layer with biases and 12C² + 2C without', () => {
    for (const C of [8, 24]) {
      const base = { vocabSize: 9, blockSize: 5, nHead: 2, nEmbd: C };
      expect(gptParameterFormula({ ...base, nLayer: 3 }) - gptParameterFormula({ ...base, nLayer: 2 })).toBe(12 * C * C + 13 * C);
      expect(gptParameterFormula({ ...base, nLayer: 3, bias: false }) - gptParameterFormula({ ...base, nLayer: 2, bias: false })).toBe(12 * C * C + 2 * C);
    }
  });
  it('matches the library for a bias-free model with many heads', () => {
    const config = { vocabSize: 3, blockSize: 2, nLayer: 3, nHead: 4, nEmbd: 8, bias: false };
    const params = initGPT(config, 2);
    expect(gptParameterFormula(config)).toBe(countParameters(params));
    disposeNamed(params);
  });
});
