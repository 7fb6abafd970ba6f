// Today's block (chapter 14): RMSNorm and SwiGLU against float64 formulas and finite differences, grouped-query
// attention against the multi-head layer it generalises, cached decoding against recompute for every variant,
// parameter counts, KV-cache sizes, and no tensor leaks.
import { describe, expect, it } from 'vitest';
import {
  createKVCache,
  disposeKVCache,
  disposeNamed,
  gptForward,
  gptParameterCount,
  gptTrainingFlopsPerToken,
  groupedQueryAttention,
  initBlock,
  initGPT,
  kvCacheBytes,
  kvCacheBytesPerToken,
  LLAMA_STYLE,
  repeatKVHeads,
  rmsNorm,
  Rng,
  selfAttention,
  swiglu,
  swigluHiddenWidth,
  tf,
  type GPTConfig,
  type Params,
} from '@how-llms-work/lib';

function randomArray(n: number, seed: number, std = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.normal() * std);
}
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

// Float64 references written from the papers' formulas, rows of width C.
function rmsNormF64(x: Float64Array, g: Float64Array, C: number, eps = 1e-5): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / C; r++) {
    let ms = 0;
    for (let c = 0; c < C; c++) ms += x[r * C + c] ** 2 / C;
    for (let c = 0; c < C; c++) y[r * C + c] = (x[r * C + c] / Math.sqrt(ms + eps)) * g[c];
  }
  return y;
}
function swigluF64(
  x: Float64Array,
  wg: Float64Array,
  wu: Float64Array,
  wd: Float64Array,
  C: number,
  Hd: number,
): Float64Array {
  const rows = x.length / C;
  const y = new Float64Array(rows * C);
  for (let r = 0; r < rows; r++) {
    const h = new Float64Array(Hd);
    for (let j = 0; j < Hd; j++) {
      let a = 0;
      let b = 0;
      for (let c = 0; c < C; c++) {
        a += wg[j * C + c] * x[r * C + c];
        b += wu[j * C + c] * x[r * C + c];
      }
      h[j] = (a / (1 + Math.exp(-a))) * b;
    }
    for (let c = 0; c < C; c++) for (let j = 0; j < Hd; j++) y[r * C + c] += wd[c * Hd + j] * h[j];
  }
  return y;
}
// d(Σ w ⊙ f(x)) / dx by central differences in float64.
function finiteDifferenceGrad(
  f: (x: Float64Array) => Float64Array,
  x: Float64Array,
  w: Float64Array,
  h = 1e-6,
): Float64Array {
  const g = new Float64Array(x.length);
  const dot = (y: Float64Array) => y.reduce((s, v, i) => s + v * w[i], 0);
  for (let i = 0; i < x.length; i++) {
    const plus = Float64Array.from(x);
    const minus = Float64Array.from(x);
    plus[i] += h;
    minus[i] -= h;
    g[i] = (dot(f(plus)) - dot(f(minus))) / (2 * h);
  }
  return g;
}
const maxDiff64 = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('RMSNorm', () => {
  const C = 6;
  const x = randomArray(3 * C, 1, 2);
  const g = randomArray(C, 2).map((v) => 1 + 0.3 * v);
  const w = randomArray(3 * C, 3);

  it('equals the float64 formula x / √(mean x² + ε) · γ', () => {
    const y = tf.tidy(() =>
      rmsNorm(tf.tensor2d(Float32Array.from(x), [3, C]), tf.tensor1d(Float32Array.from(g))).dataSync(),
    );
    expect(maxDiff64(y, rmsNormF64(x, g, C))).toBeLessThan(1e-5);
  });

  it('has gradients (input and gain) equal to float64 finite differences', () => {
    const [dx, dg] = tf.tidy(() => {
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        rmsNorm(a, b)
          .mul(tf.tensor2d(Float32Array.from(w), [3, C]))
          .sum() as tf.Scalar;
      return tf
        .grads(f)([tf.tensor2d(Float32Array.from(x), [3, C]), tf.tensor1d(Float32Array.from(g))])
        .map((t) => t.dataSync());
    });
    expect(
      maxDiff64(
        dx,
        finiteDifferenceGrad((xx) => rmsNormF64(xx, g, C), x, w),
      ),
    ).toBeLessThan(1e-4);
    expect(
      maxDiff64(
        dg,
        finiteDifferenceGrad((gg) => rmsNormF64(x, gg, C), g, w),
      ),
    ).toBeLessThan(1e-4);
  });

  it('does not subtract the mean: a constant row keeps its sign, unlike layer norm', () => {
    const y = tf.tidy(() => rmsNorm(tf.fill([1, 4], 3), tf.ones([4])).dataSync());
    for (const v of y) expect(v).toBeCloseTo(1, 4);
  });
});

describe('SwiGLU', () => {
  const C = 4;
  const Hd = swigluHiddenWidth(C);
  const x = randomArray(2 * C, 4);
  const wg = randomArray(Hd * C, 5, 0.5);
  const wu = randomArray(Hd * C, 6, 0.5);
  const wd = randomArray(C * Hd, 7, 0.5);
  const w = randomArray(2 * C, 8);
  const t = (a: Float64Array, shape: number[]) => tf.tensor(Float32Array.from(a), shape);

  it('keeps GPT-2 MLP parameters: hidden width 8C/3 rounded up to a multiple of 8', () => {
    expect(swigluHiddenWidth(128)).toBe(344);
    expect(swigluHiddenWidth(48)).toBe(128);
    expect(Hd).toBe(16);
  });

  it('equals the float64 formula W_down (SiLU(W_gate x) ⊙ W_up x)', () => {
    const y = tf.tidy(() => swiglu(t(x, [2, C]), t(wg, [Hd, C]), t(wu, [Hd, C]), t(wd, [C, Hd])).dataSync());
    expect(maxDiff64(y, swigluF64(x, wg, wu, wd, C, Hd))).toBeLessThan(1e-5);
  });

  it('has gradients for the input and all three weights equal to float64 finite differences', () => {
    const grads = tf.tidy(() => {
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
        swiglu(a, b, c, d)
          .mul(t(w, [2, C]))
          .sum() as tf.Scalar;
      return tf
        .grads(f)([t(x, [2, C]), t(wg, [Hd, C]), t(wu, [Hd, C]), t(wd, [C, Hd])])
        .map((g) => g.dataSync());
    });
    const refs = [
      finiteDifferenceGrad((a) => swigluF64(a, wg, wu, wd, C, Hd), x, w),
      finiteDifferenceGrad((a) => swigluF64(x, a, wu, wd, C, Hd), wg, w),
      finiteDifferenceGrad((a) => swigluF64(x, wg, a, wd, C, Hd), wu, w),
      finiteDifferenceGrad((a) => swigluF64(x, wg, wu, a, C, Hd), wd, w),
    ];
    refs.forEach((ref, i) => expect(maxDiff64(grads[i], ref), `gradient ${i}`).toBeLessThan(1e-4));
  });
});

describe('grouped-query attention', () => {
  const C = 8;
  const H = 4;

  it('repeats each K/V head for its group of query heads (head h reads ⌊h / G⌋)', () => {
    const kv = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]); // heads [1, 2] and [3, 4]
    const out = repeatKVHeads(kv, 2);
    expect(out.shape).toEqual([1, 4, 1, 2]);
    expect(Array.from(out.dataSync())).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    tf.dispose([kv, out]);
  });

  it('with kvHeads = nHead equals the multi-head layer on the same weights, causal and rotary', () => {
    const params: Params = {};
    initBlock(params, 'b', { nEmbd: C, nHead: H }, 1, new Rng(1));
    const x = tf.randomNormal([2, 5, C], 0, 1, 'float32', 2);
    for (const rope of [false, true]) {
      const mha = selfAttention(params, 'b.attn', x, { nHead: H, causal: true, rope });
      const gqa = groupedQueryAttention(params, 'b.attn', x, { nHead: H, kvHeads: H, causal: true, rope });
      expect(maxAbs(mha, gqa)).toBeLessThan(1e-5);
      tf.dispose([mha, gqa]);
    }
    x.dispose();
    disposeNamed(params);
  });

  it('equals multi-head attention whose K/V weights are the shared heads copied into every group', () => {
    // GQA with Hkv heads = MHA whose head h uses K/V head ⌊h / G⌋: build that MHA's (3C, C) weight by copying rows.
    const kvHeads = 2;
    const D = C / H;
    const params: Params = {};
    initBlock(params, 'g', { nEmbd: C, nHead: H, kvHeads }, 1, new Rng(3));
    const w = params['g.attn.c_attn.weight']; // (C + 2·Hkv·D, C)
    const expanded = tf.tidy(() => {
      const [q, k, v] = tf.split(w, [C, kvHeads * D, kvHeads * D], 0);
      const widen = (m: tf.Tensor) =>
        tf.concat(
          Array.from({ length: H }, (_, h) => m.slice([Math.floor(h / (H / kvHeads)) * D, 0], [D, C])),
          0,
        );
      return tf.concat([q, widen(k), widen(v)], 0);
    });
    const mhaParams: Params = {
      'm.c_attn.weight': tf.variable(expanded),
      'm.c_attn.bias': tf.variable(tf.zeros([3 * C])),
      'm.c_proj.weight': params['g.attn.c_proj.weight'],
      'm.c_proj.bias': params['g.attn.c_proj.bias'],
    };
    const x = tf.randomNormal([2, 6, C], 0, 1, 'float32', 4);
    const a = groupedQueryAttention(params, 'g.attn', x, { nHead: H, kvHeads, causal: true, rope: true });
    const b = selfAttention(mhaParams, 'm', x, { nHead: H, causal: true, rope: true });
    expect(maxAbs(a, b)).toBeLessThan(1e-5);
    tf.dispose([a, b, x, expanded, mhaParams['m.c_attn.weight'], mhaParams['m.c_attn.bias']]);
    disposeNamed(params);
  });

  it('rejects a kvHeads that does not divide nHead, naming both', () => {
    expect(() => initGPT({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 4, nEmbd: 8, kvHeads: 3 })).toThrow(
      /kvHeads.*4.*3/,
    );
  });
});

describe('GPT variants', () => {
  const base: GPTConfig = { vocabSize: 11, blockSize: 12, nLayer: 2, nHead: 4, nEmbd: 16 };
  const variants: Record<string, Partial<GPTConfig>> = {
    'GPT-2 (defaults)': {},
    RMSNorm: { normalization: 'rms' },
    SwiGLU: { mlp: 'swiglu' },
    'GQA 2 KV heads': { kvHeads: 2 },
    'MQA 1 KV head': { kvHeads: 1 },
    'Llama-style, GQA, rope': { ...LLAMA_STYLE, kvHeads: 2 },
    'Llama-style, MQA, post-norm, learned': {
      ...LLAMA_STYLE,
      kvHeads: 1,
      positional: 'learned',
      norm: 'post',
      bias: true,
    },
  };
  const ids = tf.tensor2d(
    [
      [1, 5, 2, 7, 3, 9, 4, 0, 10],
      [6, 6, 1, 2, 10, 3, 5, 8, 1],
    ],
    [2, 9],
    'int32',
  );
  // A 4-token prompt, then one token per step.
  const steps = [ids.slice([0, 0], [2, 4]), ...[4, 5, 6, 7, 8].map((t) => ids.slice([0, t], [2, 1]))] as tf.Tensor2D[];

  for (const [name, variant] of Object.entries(variants)) {
    it(`${name}: parameter count by formula, cached decoding equals recompute, cache holds kvHeads heads, no leaks`, () => {
      const config = { ...base, ...variant };
      const params = initGPT(config, 5);
      expect(Object.values(params).reduce((n, p) => n + p.size, 0)).toBe(gptParameterCount(config));
      const full = gptForward(params, config, ids);
      const before = tf.memory().numTensors;
      const cache = createKVCache(config);
      const parts = steps.map((step) => gptForward(params, config, step, { cache }));
      const cached = tf.concat(parts, 1);
      expect(maxAbs(cached, full)).toBeLessThan(1e-4);
      const k = cache.layers[0].k!;
      expect([k.shape[0], k.shape[1], k.shape[3]]).toEqual([
        2,
        config.kvHeads ?? config.nHead,
        config.nEmbd / config.nHead,
      ]);
      tf.dispose([...parts, cached]);
      disposeKVCache(cache);
      expect(tf.memory().numTensors).toBe(before);
      full.dispose();
      disposeNamed(params);
    });
  }

  it('defaults are GPT-2 exactly: the same parameters and logits as a config that spells them out', () => {
    const a = initGPT(base, 9);
    const b = initGPT({ ...base, normalization: 'layer', mlp: 'gelu', kvHeads: base.nHead }, 9);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    const la = gptForward(a, base, ids);
    const lb = gptForward(b, { ...base, normalization: 'layer', mlp: 'gelu', kvHeads: 4 }, ids);
    expect(maxAbs(la, lb)).toBe(0);
    tf.dispose([la, lb]);
    disposeNamed(a);
    disposeNamed(b);
  });

  it('trains: a gradient step on every variant keeps tensors flat', () => {
    for (const variant of Object.values(variants)) {
      const config = { ...base, ...variant };
      const params = initGPT(config, 6);
      const y = tf.tensor2d(
        [
          [5, 2, 7, 3, 9, 4, 0, 10, 1],
          [6, 1, 2, 10, 3, 5, 8, 1, 2],
        ],
        [2, 9],
        'int32',
      );
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 11), gptForward(params, config, ids)) as tf.Scalar,
      );
      expect(Object.keys(grads).length).toBe(Object.keys(params).length);
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      y.dispose();
      disposeNamed(params);
    }
  });
});

describe('KV-cache memory', () => {
  it('is 2 · layers · kvHeads · head width · bytes per token, times tokens and batch', () => {
    // Llama 2 70B: 80 layers, 64 heads, 8 KV heads, width 8192, fp16 → 2·80·8·128·2 = 327,680 bytes per token.
    const llama70b = { nLayer: 80, nHead: 64, nEmbd: 8192, kvHeads: 8 };
    expect(kvCacheBytesPerToken(llama70b, 2)).toBe(327680);
    expect(kvCacheBytesPerToken({ ...llama70b, kvHeads: undefined }, 2)).toBe(8 * 327680);
    expect(kvCacheBytes(llama70b, 4096, 3, 2)).toBe(327680 * 4096 * 3);
    expect(() => kvCacheBytesPerToken({ ...llama70b, kvHeads: 5 })).toThrow(/divisor/);
  });

  it('training FLOPs per token: 6·(non-embedding parameters + head) + attention, fewer with fewer KV heads', () => {
    const c: GPTConfig = { vocabSize: 10, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 4 };
    const nonEmbedding = gptParameterCount(c) - 10 * 4 - 4 * 4;
    expect(gptTrainingFlopsPerToken(c)).toBe(3 * (2 * (nonEmbedding + 40) + 2 * 1 * 4 * 4));
    expect(gptTrainingFlopsPerToken({ ...c, kvHeads: 1 })).toBeLessThan(gptTrainingFlopsPerToken(c));
  });
});
