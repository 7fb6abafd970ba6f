// Tests of exercises/ch06-transformer/block.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { preLNBlock } from '@exercises/ch06-transformer/block';
import { disposeNamed, initGPT, tf, transformerBlock, type GPTConfig } from '@how-llms-work/lib';
import { randn, maxDiff, norm } from '../helpers';

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
