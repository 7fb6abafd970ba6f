// Hidden tests of exercises/ch06-transformer/block.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { preLNBlock } from '@exercises/ch06-transformer/block';
import { disposeNamed, initGPT, tf, transformerBlock, type GPTConfig } from '@how-llms-work/lib';
import { randn, maxDiff } from '../../../test/exercises/helpers';

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
