import { describe, expect, it } from 'vitest';
import {
  countParameters,
  createKVCache,
  disposeKVCache,
  disposeNamed,
  gptForward,
  gptParameterCount,
  initGPT,
  Rng,
  tf,
  type GPTConfig,
} from '@how-llms-work/lib';

const base: GPTConfig = { vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };

function randomIds(B: number, T: number, V: number, seed = 1): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(
    Array.from({ length: B * T }, () => rng.int(V)),
    [B, T],
    'int32',
  );
}

describe('GPT parameters', () => {
  it('uses nanoGPT state_dict names and PyTorch layouts', () => {
    const params = initGPT(base, 1);
    const names = Object.keys(params);
    expect(names.slice(0, 4)).toEqual([
      'transformer.wte.weight',
      'transformer.wpe.weight',
      'transformer.h.0.ln_1.weight',
      'transformer.h.0.ln_1.bias',
    ]);
    expect(params['transformer.h.1.attn.c_attn.weight'].shape).toEqual([24, 8]);
    expect(params['transformer.h.1.mlp.c_proj.weight'].shape).toEqual([8, 32]);
    expect(names[names.length - 1]).toBe('transformer.ln_f.bias');
    expect(names).not.toContain('lm_head.weight');
    disposeNamed(params);
  });

  for (const variant of [
    {},
    { bias: false },
    { positional: 'sinusoidal' as const },
    { positional: 'rope' as const, norm: 'post' as const },
    { nLayer: 3, nEmbd: 12, nHead: 3, bias: false, norm: 'post' as const },
  ]) {
    it(`counts parameters by formula: ${JSON.stringify(variant)}`, () => {
      const config = { ...base, ...variant };
      const params = initGPT(config, 2);
      expect(countParameters(params)).toBe(gptParameterCount(config));
      disposeNamed(params);
    });
  }

  it('initialises as GPT-2: std 0.02, residual projections scaled by 1/sqrt(2 nLayer), same seed same weights', () => {
    const config = { ...base, nEmbd: 64, nHead: 4, nLayer: 8 };
    const a = initGPT(config, 3);
    const b = initGPT(config, 3);
    const std = (t: tf.Tensor) => tf.moments(t).variance.sqrt().dataSync()[0];
    expect(std(a['transformer.h.0.attn.c_attn.weight'])).toBeCloseTo(0.02, 3);
    expect(std(a['transformer.h.0.mlp.c_proj.weight'])).toBeCloseTo(0.02 / 4, 3);
    expect(a['transformer.h.0.ln_1.weight'].dataSync().every((v) => v === 1)).toBe(true);
    expect(Array.from(a['transformer.wte.weight'].dataSync())).toEqual(
      Array.from(b['transformer.wte.weight'].dataSync()),
    );
    disposeNamed(a);
    disposeNamed(b);
  });

  it('rejects a bad config naming the field', () => {
    expect(() => initGPT({ ...base, nHead: 3 })).toThrow(/nEmbd \(8\) must be divisible by nHead \(3\)/);
    expect(() => initGPT({ ...base, dropout: 1.5 })).toThrow(/dropout must be in \[0, 1\), got 1.5/);
  });
});

describe('GPT forward', () => {
  for (const positional of ['learned', 'sinusoidal', 'rope'] as const) {
    for (const norm of ['pre', 'post'] as const) {
      it(`${positional} positions, ${norm}-LN: logits (B, T, V), causal, cache gives the same logits`, () => {
        const config: GPTConfig = { ...base, positional, norm };
        const params = initGPT(config, 4);
        const ids = randomIds(2, 6, config.vocabSize);
        const full = gptForward(params, config, ids);
        expect(full.shape).toEqual([2, 6, 13]);
        // Causal: changing the last token leaves every earlier position's logits unchanged.
        const ids2 = tf.concat([ids.slice([0, 0], [2, 5]), tf.tensor2d([[0], [1]], [2, 1], 'int32')], 1) as tf.Tensor2D;
        const other = gptForward(params, config, ids2);
        const diffEarly = tf
          .abs(full.slice([0, 0, 0], [2, 5, -1]).sub(other.slice([0, 0, 0], [2, 5, -1])))
          .max()
          .dataSync()[0];
        expect(diffEarly).toBeLessThan(1e-5);
        // Cached: feed 3 tokens, then one at a time.
        const cache = createKVCache(config);
        const parts = [gptForward(params, config, ids.slice([0, 0], [2, 3]), { cache })];
        for (let t = 3; t < 6; t++) parts.push(gptForward(params, config, ids.slice([0, t], [2, 1]), { cache }));
        expect(cache.length).toBe(6);
        const cached = tf.concat(parts, 1);
        expect(tf.abs(cached.sub(full)).max().dataSync()[0]).toBeLessThan(1e-4);
        disposeKVCache(cache);
        disposeNamed(params);
      });
    }
  }

  it('keeps tf.memory().numTensors flat across forward passes, with and without a cache', () => {
    const params = initGPT(base, 5);
    const ids = randomIds(2, 4, base.vocabSize);
    const attentionWeights: tf.Tensor[] = [];
    const step = () => {
      gptForward(params, base, ids, { attentionWeights }).dispose();
      attentionWeights.forEach((w) => w.dispose());
      attentionWeights.length = 0;
      const cache = createKVCache(base);
      for (let t = 0; t < 4; t++) {
        const next = ids.slice([0, t], [2, 1]) as tf.Tensor2D;
        gptForward(params, base, next, { cache }).dispose();
        next.dispose();
      }
      disposeKVCache(cache);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    disposeNamed(params);
  });

  it('keeps tf.memory().numTensors flat across training steps with dropout and gradients', () => {
    const config = { ...base, dropout: 0.1, positional: 'rope' as const };
    const params = initGPT(config, 9);
    const ids = randomIds(2, 5, base.vocabSize);
    const rng = new Rng(3);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => gptForward(params, config, ids, { training: true, seed: rng.seed() }).square().mean() as tf.Scalar,
      );
      // A plain SGD update, as an optimizer would apply it.
      for (const v of Object.values(params)) tf.tidy(() => v.assign(v.sub(grads[v.name].mul(0.01))));
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    disposeNamed(params);
  });

  it('returns each layer’s attention weights (B, H, T, T), causal rows summing to 1', () => {
    const params = initGPT(base, 6);
    const weights: tf.Tensor[] = [];
    gptForward(params, base, randomIds(1, 5, base.vocabSize), { attentionWeights: weights }).dispose();
    expect(weights.map((w) => w.shape)).toEqual([
      [1, 2, 5, 5],
      [1, 2, 5, 5],
    ]);
    const w = weights[0].arraySync() as number[][][][];
    for (const row of w[0][1]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(w[0][0][1][2]).toBe(0);
    weights.forEach((t) => t.dispose());
    disposeNamed(params);
  });

  it('applies seeded dropout only when training', () => {
    const config = { ...base, dropout: 0.5 };
    const params = initGPT(config, 7);
    const ids = randomIds(1, 5, base.vocabSize);
    const evalA = gptForward(params, config, ids).dataSync();
    const evalB = gptForward(params, config, ids, { training: false }).dataSync();
    expect(Array.from(evalA)).toEqual(Array.from(evalB));
    const trainA = gptForward(params, config, ids, { training: true, seed: 1 }).dataSync();
    const trainA2 = gptForward(params, config, ids, { training: true, seed: 1 }).dataSync();
    const trainB = gptForward(params, config, ids, { training: true, seed: 2 }).dataSync();
    expect(Array.from(trainA)).toEqual(Array.from(trainA2));
    expect(Array.from(trainA)).not.toEqual(Array.from(trainB));
    expect(Array.from(trainA)).not.toEqual(Array.from(evalA));
    expect(() => gptForward(params, config, ids, { training: true })).toThrow(/needs opts.seed/);
    disposeNamed(params);
  });

  it('names the limit when the context exceeds blockSize', () => {
    const params = initGPT(base, 8);
    expect(() => gptForward(params, base, randomIds(1, 9, base.vocabSize))).toThrow(
      /sequence length 9 exceeds blockSize 8/,
    );
    const cache = createKVCache(base);
    gptForward(params, base, randomIds(1, 8, base.vocabSize), { cache }).dispose();
    expect(() => gptForward(params, base, randomIds(1, 1, base.vocabSize), { cache })).toThrow(
      /KV cache holds 8 positions/,
    );
    disposeKVCache(cache);
    disposeNamed(params);
  });
});

describe('GPT parameters', () => {
  it('hold one tensor per parameter, all freed by disposeNamed', () => {
    const config = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
    const before = tf.memory().numTensors;
    const params = initGPT(config, 3);
    expect(tf.memory().numTensors - before).toBe(Object.keys(params).length);
    disposeNamed(params);
    expect(tf.memory().numTensors).toBe(before);
  });
});
