// Chapter 6 exercises: layer norm, a block's forward pass, the parameter-count formula. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { layerNormLastAxis } from '@exercises/ch06-transformer/layernorm';
import { preLNBlock } from '@exercises/ch06-transformer/block';
import { gptParameterFormula } from '@exercises/ch06-transformer/count';
import { countParameters, disposeNamed, initGPT, layerNorm, Rng, tf, transformerBlock, type GPTConfig } from '@how-llms-work/lib';

function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape);
}
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

describe('ch06 layerNormLastAxis', () => {
  const ones = (n: number) => tf.ones([n]);
  const zeros = (n: number) => tf.zeros([n]);

  it('normalises the worked example with the biased variance', () => {
    const y = layerNormLastAxis(tf.tensor2d([[0, 2]]), ones(2), zeros(2));
    expect(maxDiff(y, tf.tensor2d([[-1, 1]]))).toBeLessThan(1e-4); // the unbiased variance would give ±0.707
  });

  it('gives each row mean 0 and variance 1', () => {
    const y = layerNormLastAxis(randn([3, 4, 16], 1, 5).add(3), ones(16), zeros(16));
    const { mean, variance } = tf.moments(y, -1);
    expect(tf.abs(mean).max().dataSync()[0]).toBeLessThan(1e-5);
    expect(maxDiff(variance, tf.ones([3, 4]))).toBeLessThan(1e-3);
  });

  it('applies the gain and the shift, matching the library', () => {
    const x = randn([2, 3, 8], 2);
    const [g, b] = [randn([8], 3), randn([8], 4)];
    expect(maxDiff(layerNormLastAxis(x, g, b), layerNorm(x, g, b))).toBeLessThan(1e-5);
  });

  it('uses ε: a constant row comes out as β, not NaN', () => {
    const b = tf.tensor1d([0.5, -1, 2]);
    const y = layerNormLastAxis(tf.tensor2d([[7, 7, 7]]), ones(3), b);
    expect(maxDiff(y, b.expandDims(0))).toBeLessThan(1e-6);
    expect(maxDiff(layerNormLastAxis(tf.tensor2d([[0, 0.001]]), ones(2), zeros(2), 1e-2), layerNorm(tf.tensor2d([[0, 0.001]]), ones(2), zeros(2), 1e-2))).toBeLessThan(1e-6);
  });
});

describe('ch06 preLNBlock', () => {
  const config: GPTConfig = { vocabSize: 7, blockSize: 6, nLayer: 1, nHead: 2, nEmbd: 8 };
  const bigParams = () => {
    const params = initGPT(config, 5);
    // Larger than GPT-2's init and non-trivial norms, so that a missing or misplaced piece shows.
    for (const [name, value] of Object.entries(params)) {
      value.assign(name.endsWith('ln_1.weight') || name.endsWith('ln_2.weight') ? randn(value.shape, name.length, 0.3).add(1) : randn(value.shape, name.length, 0.3));
    }
    return params;
  };

  it('returns (B, T, C) and matches the library’s pre-LN block', () => {
    const params = bigParams();
    const x = randn([2, 5, 8], 6) as tf.Tensor3D;
    const y = preLNBlock(params, 'transformer.h.0', x, 2);
    expect(y.shape).toEqual([2, 5, 8]);
    expect(maxDiff(y, transformerBlock(params, 'transformer.h.0', x, config, { causal: true }))).toBeLessThan(1e-4);
    disposeNamed(params);
  });

  it('is pre-LN, not post-LN', () => {
    const params = bigParams();
    const x = randn([1, 4, 8], 7) as tf.Tensor3D;
    const post = transformerBlock(params, 'transformer.h.0', x, { ...config, norm: 'post' }, { causal: true });
    expect(maxDiff(preLNBlock(params, 'transformer.h.0', x, 2), post)).toBeGreaterThan(1e-2);
    disposeNamed(params);
  });

  it('keeps the residual path: zero output projections give back x', () => {
    const params = bigParams();
    for (const n of ['attn.c_proj.weight', 'attn.c_proj.bias', 'mlp.c_proj.weight', 'mlp.c_proj.bias']) params[`transformer.h.0.${n}`].assign(tf.zerosLike(params[`transformer.h.0.${n}`]));
    const x = randn([1, 3, 8], 8) as tf.Tensor3D;
    expect(maxDiff(preLNBlock(params, 'transformer.h.0', x, 2), x)).toBeLessThan(1e-6);
    disposeNamed(params);
  });

  it('is causal: the last position does not change the others', () => {
    const params = bigParams();
    const x = randn([1, 4, 8], 9) as tf.Tensor3D;
    const x2 = tf.concat([x.slice([0, 0, 0], [1, 3, 8]), randn([1, 1, 8], 10)], 1) as tf.Tensor3D;
    const [a, b] = [preLNBlock(params, 'transformer.h.0', x, 2), preLNBlock(params, 'transformer.h.0', x2, 2)];
    expect(maxDiff(a.slice([0, 0, 0], [1, 3, 8]), b.slice([0, 0, 0], [1, 3, 8]))).toBeLessThan(1e-5);
    expect(maxDiff(a, b)).toBeGreaterThan(1e-3);
    disposeNamed(params);
  });
});

describe('ch06 gptParameterFormula', () => {
  const count = (config: GPTConfig) => {
    const params = initGPT(config, 1);
    const n = countParameters(params);
    disposeNamed(params);
    return n;
  };

  it('counts a tiny GPT exactly', () => {
    const config = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
    expect(gptParameterFormula(config)).toBe(count(config));
  });

  it('counts other depths and widths', () => {
    for (const config of [{ vocabSize: 65, blockSize: 32, nLayer: 3, nHead: 4, nEmbd: 32 }, { vocabSize: 5, blockSize: 3, nLayer: 1, nHead: 1, nEmbd: 4 }]) {
      expect(gptParameterFormula(config)).toBe(count(config));
    }
  });

  it('counts a model without biases', () => {
    const config = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, bias: false };
    expect(gptParameterFormula(config)).toBe(count(config));
  });

  it('gives GPT-2 small’s 124,439,808 (worked example), whatever the number of heads', () => {
    const gpt2 = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
    expect(gptParameterFormula(gpt2)).toBe(124_439_808);
    expect(gptParameterFormula({ ...gpt2, nHead: 1 })).toBe(124_439_808);
  });
});
