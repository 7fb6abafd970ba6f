// The fused kernels' native versions (accel/native/fused_kernels.c) give what their JavaScript loops give, on random
// inputs and on edge values (±0, tiny, subnormal, huge, ±Infinity, NaN, large means, constant rows), on the backend the
// project names (lib-wasm: views into the wasm heap; lib-cpu: the cpu backend's own arrays). Each case runs the kernel
// through TF.js twice, natively and in JavaScript, and checks that the native run happened (a count) where the addon is
// built; where it is not, it checks the reason instead. CI (HOW_LLMS_PROFILE=ci) must build it.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { NATIVE_ADDON_PATH, STOCK_TFJS_ENV, readSettings, withSettings } from '@how-llms-work/accel';
import { Rng, tf } from '@how-llms-work/lib';
import {
  NATIVE_KERNELS_ENV,
  nativeKernelCount,
  nativeKernelsOffReason,
  nativeKernelsStatus,
  runFused,
  setNativeKernels,
} from '../../../accel/src/fused';
import { nativeAddon } from '../../../accel/src/native-matmul';
import '../../../accel/src/kernels/gelu';
import '../../../accel/src/kernels/layernorm';
import '../../../accel/src/kernels/adamw';
import '../../../accel/src/kernels/global-norm';
import '../../../accel/src/kernels/attention';
import '../../../accel/src/kernels/cross-entropy';

const TOLERANCE = 1e-6; // relative
/** GELU's C loop computes in float32: its output within 1e-6·(1 + |y|) of the float64 loop, its gradient 4e-6·(1 + |dx|). */
const [GELU_TOL, GELU_GRAD_TOL] = [1e-6, 4e-6];
const backend = process.env.HOW_LLMS_BACKEND;
const runs = setNativeKernels(true) === undefined;

/** Normal values ×scale, seeded, with `edges` written over the first elements. */
function values(n: number, seed: number, scale = 1, edges: number[] = []): Float32Array {
  const rng = new Rng(seed);
  const out = Float32Array.from({ length: n }, () => scale * rng.normal());
  out.set(edges.slice(0, n));
  return out;
}

const EDGES = [
  0,
  -0,
  1e-30,
  -1e-30,
  1e-40,
  -1e-40,
  2.98,
  -2.98,
  3.1,
  -3.1,
  50,
  -50,
  1e30,
  -1e30,
  3.4e38,
  -3.4e38,
  Infinity,
  -Infinity,
  NaN,
];

/**
 * got equals want: both NaN, equal, or within TOLERANCE relative (given `absoluteTol`: within absoluteTol·(1 + |want|), for
 * a kernel whose C version computes in float32); returns the worst error and the exact share.
 */
function expectSame(
  got: Float32Array,
  want: Float32Array,
  what: string,
  absoluteTol?: number,
): { worst: number; exact: number } {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0;
  let exact = 0;
  let at = -1;
  for (let i = 0; i < got.length; i++) {
    const [g, w] = [got[i], want[i]];
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) {
      exact++;
      continue;
    }
    const err = Math.abs(g - w) / (absoluteTol !== undefined ? 1 + Math.abs(w) : Math.max(Math.abs(w), 1e-30));
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  expect(worst, `${what}: worst relative error at ${at} (native ${got[at]}, JS ${want[at]})`).toBeLessThanOrEqual(
    absoluteTol ?? TOLERANCE,
  );
  return { worst, exact: exact / Math.max(got.length, 1) };
}

/** Run kernel `name` natively and in JavaScript on the same inputs; compare every output; check the native run happened. */
function nativeMatchesJs(
  name: string,
  inputs: Record<string, Float32Array | tf.Tensor>,
  shapes: Record<string, number[]>,
  attrs: object = {},
  absoluteTol?: number,
): number {
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, v instanceof Float32Array ? tf.tensor(v, shapes[k] ?? [v.length]) : v]),
  );
  try {
    setNativeKernels(true);
    const before = nativeKernelCount(name);
    const nativeOuts = runFused(name, tensors, attrs);
    expect(nativeKernelCount(name) - before, `${name} ran natively`).toBe(runs ? 1 : 0);
    setNativeKernels(false);
    const jsOuts = runFused(name, tensors, attrs);
    expect(nativeKernelCount(name) - before, `${name} ran in JavaScript when switched off`).toBe(runs ? 1 : 0);
    let exact = 1;
    nativeOuts.forEach((t, i) => {
      expect(t.shape, `${name} output ${i}: shape`).toEqual(jsOuts[i].shape);
      exact = Math.min(
        exact,
        expectSame(
          t.dataSync() as Float32Array,
          jsOuts[i].dataSync() as Float32Array,
          `${name} output ${i}`,
          absoluteTol,
        ).exact,
      );
    });
    tf.dispose([...nativeOuts, ...jsOuts]);
    return exact;
  } finally {
    setNativeKernels(true);
    tf.dispose(Object.values(tensors).filter((t, i) => Object.values(inputs)[i] instanceof Float32Array));
  }
}

afterAll(() => {
  setNativeKernels(true);
});

describe(`native fused kernels on ${backend}`, () => {
  it('run where the addon is built, and say why not elsewhere', () => {
    if (process.env.HOW_LLMS_PROFILE === 'ci')
      expect(runs, `CI installs libopenblas-dev, so ${NATIVE_ADDON_PATH} must be built`).toBe(true);
    if (fs.existsSync(NATIVE_ADDON_PATH)) {
      // Built: they run, unless the build is stale or does not load (then the reason says so).
      if (!runs) expect(nativeKernelsStatus()).toMatch(/older source|does not load/);
    } else {
      expect(runs).toBe(false);
      expect(nativeKernelsStatus()).toMatch(
        /the OpenBLAS addon is not built \(Debian\/Ubuntu: apt install libopenblas-dev/,
      );
    }
  });

  it(`switch off with ${NATIVE_KERNELS_ENV}=0 and with ${STOCK_TFJS_ENV}=1, and an unknown value is an error`, () => {
    expect(nativeKernelsOffReason(readSettings({ [NATIVE_KERNELS_ENV]: '0' }))).toBe(`${NATIVE_KERNELS_ENV}=0`);
    expect(() => readSettings({ [NATIVE_KERNELS_ENV]: 'maybe' })).toThrow(
      /HOW_LLMS_NATIVE_KERNELS=maybe .*1, true, on, yes, 0, false, off, no/,
    );
    expect(nativeKernelsOffReason(readSettings({ [STOCK_TFJS_ENV]: '1' }))).toBe(`${STOCK_TFJS_ENV}=1`);
    expect(nativeKernelsOffReason(readSettings({ [NATIVE_KERNELS_ENV]: '1' }))).toBe(nativeAddon().reason);
    // The settings as they are when they are (re)considered.
    try {
      withSettings({ nativeKernels: false }, () => {
        expect(setNativeKernels(true)).toBe(`${NATIVE_KERNELS_ENV}=0`);
        const before = nativeKernelCount();
        tf.tidy(() => runFused('HowLlmsGelu', { x: tf.tensor1d([1, 2, 3]) })[0].dataSync());
        expect(nativeKernelCount()).toBe(before);
      });
    } finally {
      setNativeKernels(true);
    }
  });

  it('GELU forward and backward, random and edge values (both branches of tanh, non-finite inputs)', () => {
    const n = 4099; // not a multiple of the vector width or the block
    const x = values(n, 1, 3, EDGES);
    // C computes the rational tanh in float32 (8 lanes), JavaScript in float64: equal to float32 rounding in absolute
    // terms (where GELU is tiny, x ≈ −3, 1 + tanh loses bits in both, as in TF.js's own float32 tanh). The gradient's
    // longer formula, times dy, compounds a few more roundings.
    nativeMatchesJs('HowLlmsGelu', { x }, {}, {}, GELU_TOL);
    nativeMatchesJs('HowLlmsGeluGrad', { dy: values(n, 2), x }, {}, {}, GELU_GRAD_TOL);
  });

  it('GELU forward and backward in C stay within float32 rounding of the exact formula (float64 Math.tanh)', () => {
    const n = 4099;
    const x = values(
      n,
      3,
      3,
      EDGES.filter(Number.isFinite).filter((v) => Math.abs(v) < 1e19),
    );
    const dy = values(n, 4);
    const c = Math.sqrt(2 / Math.PI);
    const exact = Float32Array.from(x, (v) => 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v))));
    const exactGrad = Float32Array.from(x, (v, i) => {
      const t = Math.tanh(c * (v + 0.044715 * v * v * v));
      return dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v));
    });
    const [y, dx] = tf.tidy(() => {
      const xt = tf.tensor(x);
      return [
        runFused('HowLlmsGelu', { x: xt })[0].dataSync(),
        runFused('HowLlmsGeluGrad', { dy: tf.tensor(dy), x: xt })[0].dataSync(),
      ];
    }) as Float32Array[];
    expectSame(y, exact, 'GELU against the exact formula', GELU_TOL);
    expectSame(dx, exactGrad, 'GELU gradient against the exact formula', GELU_GRAD_TOL);
  });

  for (const C of [128, 7, 1]) {
    it(`layer norm forward (with and without bias) and backward, C = ${C}: random rows, a large mean, constant and non-finite rows`, () => {
      const rows = 37;
      const x = values(rows * C, 3, 2);
      for (let c = 0; c < C; c++) {
        x[C + c] += 1000; // row 1: a large mean
        x[2 * C + c] = 0.5; // row 2: constant (σ = 0)
        x[3 * C + c] *= 1e-20; // row 3: tiny
      }
      x[4 * C] = Infinity;
      x[5 * C] = NaN;
      const shapes = { x: [rows, C], weight: [C], bias: [C] };
      const weight = values(C, 4, 1, [0, -0]);
      const bias = values(C, 5);
      for (const eps of [1e-5, 0]) {
        expect(nativeMatchesJs('HowLlmsLayerNorm', { x, weight, bias }, shapes, { eps })).toBeGreaterThan(0.99);
        expect(nativeMatchesJs('HowLlmsLayerNormNoBias', { x, weight }, shapes, { eps })).toBeGreaterThan(0.99);
      }
      // The backward from the forward's own r (finite rows only, as training sees them), and from one with a NaN row.
      const finite = x.map((v, i) => (i < 4 * C ? v : v % 7 || 1));
      const rstd = tf.tidy(() => {
        const [, r] = runFused(
          'HowLlmsLayerNorm',
          { x: tf.tensor(finite, [rows, C]), weight: tf.tensor(weight), bias: tf.tensor(bias) },
          { eps: 1e-5 },
        );
        return r;
      });
      const gradShapes = { dy: [rows, C], x: [rows, C], weight: [C] };
      expect(
        nativeMatchesJs('HowLlmsLayerNormGrad', { dy: values(rows * C, 6), x: finite, weight, rstd }, gradShapes),
      ).toBeGreaterThan(0.99);
      const withNaN = values(rows * C, 7);
      withNaN[C + 1] = NaN;
      nativeMatchesJs('HowLlmsLayerNormGrad', { dy: withNaN, x: finite, weight, rstd }, gradShapes);
      rstd.dispose();
    });
  }

  it('cross-entropy and its gradient: random rows, a row far from 0, a NaN row; and a bad target named without writing', () => {
    const [N, V] = [37, 65];
    const logits = values(N * V, 30, 3);
    for (let v = 0; v < V; v++) logits[V + v] += 500; // row 1: large logits
    logits[2 * V + 3] = NaN; // row 2: NaN
    const rng = new Rng(31);
    const targets = Float32Array.from({ length: N }, () => rng.int(V));
    nativeMatchesJs('HowLlmsCrossEntropy', { logits, targets }, { logits: [N, V] });
    const bad = targets.slice();
    bad[5] = V;
    for (const native of [true, false]) {
      setNativeKernels(native);
      const x = tf.tensor(logits, [N, V]);
      const t = tf.tensor(bad);
      expect(() => runFused('HowLlmsCrossEntropy', { logits: x, targets: t }), native ? 'native' : 'JS').toThrow(
        /cross-entropy: target 65 at position 5 is not a token id in \[0, 64\]/,
      );
      tf.dispose([x, t]);
    }
    setNativeKernels(true);
  });

  it('AdamW: decay and none, clip factors, zero and huge gradients, first and later steps', () => {
    const n = 1001;
    const param = values(n, 8);
    const m = values(n, 9, 0.01);
    const v = values(n, 10, 0.01).map(Math.abs);
    const grad = values(n, 11, 1, [0, -0, 1e-30, 1e30, -1e20, 1e-40]);
    for (const [scale, weightDecay, t] of [
      [1, 0.1, 1],
      [0.37, 0, 1],
      [1e-3, 0.1, 1000],
      [0, 0.5, 7],
    ]) {
      const attrs = {
        lr: 3e-4,
        beta1: 0.9,
        beta2: 0.95,
        eps: 1e-8,
        weightDecay,
        bc1: 1 - 0.9 ** t,
        bc2: 1 - 0.95 ** t,
      };
      const exact = nativeMatchesJs(
        'HowLlmsAdamW',
        { param, m, v, grad, scale: Float32Array.of(scale) },
        { scale: [] },
        attrs,
      );
      expect(exact).toBeGreaterThan(0.999);
    }
  });

  it('global norm and clip factor over many gradients: clipping, none (∞), below the threshold, and a NaN', () => {
    const grads = [values(1, 12), values(1001, 13), values(64 * 65, 14), values(7, 15, 1e-20)];
    const inputs = Object.fromEntries(grads.map((g, i) => [String(i), g]));
    for (const maxNorm of [1, Infinity, 1e6, 0.5]) nativeMatchesJs('HowLlmsGlobalNorm', inputs, {}, { maxNorm });
    const withNaN = { ...inputs, '4': Float32Array.of(1, NaN) };
    const [norm, factor] = tf.tidy(() =>
      runFused('HowLlmsGlobalNorm', Object.fromEntries(Object.entries(withNaN).map(([k, g]) => [k, tf.tensor(g)])), {
        maxNorm: 1,
      }).map((t) => t.dataSync()[0]),
    );
    expect([norm, factor]).toEqual([NaN, NaN]); // as the reference: the step fails visibly
    nativeMatchesJs('HowLlmsGlobalNorm', withNaN, {}, { maxNorm: 1 });
  });

  it('causal softmax and its gradient: causal from 0 and from an offset, unmasked, huge, infinite and NaN scores', () => {
    const cases: [shape: number[], causal: boolean, offset: number][] = [
      [[2, 3, 7, 7], true, 0],
      [[2, 3, 3, 10], true, 7],
      [[2, 5, 9], false, 0],
      [[1, 1, 1, 1], true, 0],
      [[4, 33, 33], true, 0],
    ];
    for (const [shape, causal, offset] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      const Tk = shape[shape.length - 1];
      const scores = values(n, 17, 3);
      if (n >= 6 * Tk) {
        scores.set([1e30, -1e30, 3e38], Tk); // row 1: huge scores
        scores[2 * Tk] = -Infinity; // row 2: one key weighs exactly 0
        scores[3 * Tk + 1] = Infinity; // row 3: NaN (∞ − ∞), as in the JS
        scores[4 * Tk] = NaN; // row 4: NaN
        scores.fill(-Infinity, 5 * Tk, 6 * Tk); // row 5: every key −∞, NaN
      }
      for (const scale of [0.125, 1, 7]) {
        const attrs = { scale, causal, offset };
        expect(nativeMatchesJs('HowLlmsCausalSoftmax', { scores }, { scores: shape }, attrs)).toBeGreaterThan(0.999);
        const y = tf.tidy(
          () =>
            runFused('HowLlmsCausalSoftmax', { scores: tf.tensor(scores, shape) }, attrs)[0].dataSync() as Float32Array,
        );
        const grad = nativeMatchesJs(
          'HowLlmsCausalSoftmaxGrad',
          { dy: values(n, 18), y },
          { dy: shape, y: shape },
          attrs,
        );
        expect(grad).toBeGreaterThan(0.99);
      }
    }
  });

  for (const P of [1, 2, 3]) {
    it(`heads: split ${P} part(s) with and without the bias, merge with and without column sums, ranks 2 and 3`, () => {
      const [B, T, H, D] = [3, 5, 4, 6];
      const C = H * D;
      const x = values(B * T * P * C, 19, 1, [NaN, Infinity, -0]);
      const bias = values(P * C, 20);
      const split = { nHead: H, seqLen: T };
      for (const [inRank, xShape] of [
        [2, [B * T, P * C]],
        [3, [B, T, P * C]],
      ] as const) {
        expect(nativeMatchesJs(`HowLlmsSplitHeads${P}`, { x }, { x: [...xShape] }, { ...split, inRank })).toBe(1);
        expect(
          nativeMatchesJs(
            `HowLlmsSplitHeadsBias${P}`,
            { x, bias },
            { x: [...xShape], bias: [P * C] },
            { ...split, inRank },
          ),
        ).toBe(1);
      }
      const names = [['x'], ['k', 'v'], ['q', 'k', 'v']][P - 1];
      const parts = Object.fromEntries(names.map((name, i) => [name, values(B * H * T * D, 21 + i, 1, [1e30, NaN])]));
      const partShapes = Object.fromEntries(names.map((name) => [name, [B, H, T, D]]));
      for (const outRank of [2, 3]) {
        for (const columnSums of [false, true]) {
          const exact = nativeMatchesJs(`HowLlmsMergeHeads${P}`, parts, partShapes, {
            outRank,
            partShape: [B, H, T, D],
            columnSums,
          });
          expect(exact).toBe(1);
        }
      }
    });
  }

  it('works on Float32Arrays over a SharedArrayBuffer (a threaded wasm heap), and refuses wrong arguments without writing', () => {
    const addon = nativeAddon().addon as Record<string, (...args: unknown[]) => void> | undefined;
    if (!runs || !addon) {
      expect(nativeKernelsStatus()).toBeDefined();
      return;
    }
    const shared = new Float32Array(new SharedArrayBuffer(4 * 2 * 1000));
    shared.set(values(1000, 16, 3, EDGES));
    const [x, y] = [shared.subarray(0, 1000), shared.subarray(1000)];
    addon.gelu(x, y);
    setNativeKernels(false);
    const want = tf.tidy(() => runFused('HowLlmsGelu', { x: tf.tensor(x.slice()) })[0].dataSync() as Float32Array);
    setNativeKernels(true);
    expectSame(y, want, 'gelu on a SharedArrayBuffer', GELU_TOL);
    const out = new Float32Array(3).fill(7);
    expect(() => addon.gelu(new Float32Array(4), out)).toThrow(RangeError);
    expect(() => addon.gelu(new Float64Array(3), out)).toThrow(RangeError);
    expect(() => addon.gelu(new Float32Array(3))).toThrow(RangeError);
    expect(() =>
      addon.layerNorm(new Float32Array(10), new Float32Array(3), new Float32Array(10), new Float32Array(3), 1e-5),
    ).toThrow(RangeError);
    expect(() => addon.adamw(...Array.from({ length: 8 }, () => new Float32Array(2)), 1, 2, 3)).toThrow(RangeError);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });
});
