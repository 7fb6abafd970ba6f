// The addon's thread pool (accel/native/parallel.c) splits products and fused kernels over threads; a split must
// never change a result. Each case runs with one thread, then with three threads and the least work per thread scaled
// to nothing (so that these small inputs split too, into uneven chunks), and compares: the fused kernels bit for bit
// (each chunk computes whole rows, columns or elements in the same order), the products against a float64 reference
// and the one-thread result. The kernels run through TF.js on the project's backend (lib-wasm: views into the wasm
// heap; lib-cpu: the cpu backend's arrays), and a whole training step of a small GPT is compared the same way.
import { afterAll, describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { NATIVE_ADDON_PATH, defaultThreadCount, nativeThreadCount } from '@how-llms-work/accel';
import { Rng, tf } from '@how-llms-work/lib';
import { nativeKernelCount, nativeKernelsStatus, runFused, setNativeKernels } from '../../accel/src/fused';
import { nativeAddon, type NativeAddon } from '../../accel/src/native-matmul';
import '../../accel/src/kernels/gelu';
import '../../accel/src/kernels/layernorm';
import '../../accel/src/kernels/adamw';
import '../../accel/src/kernels/attention';

const addon = nativeAddon().addon;
const runs = addon !== undefined && setNativeKernels(true) === undefined;
const SPLIT_THREADS = 3;

function values(n: number, seed: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** f's result with one thread, and with SPLIT_THREADS threads and every input worth splitting. */
function oneAndSplit<T>(f: () => T): [T, T] {
  const a = addon as NativeAddon;
  try {
    a.setThreads(1);
    a.setGrainScale(1);
    const one = f();
    a.setThreads(SPLIT_THREADS);
    a.setGrainScale(0);
    const split = f();
    return [one, split];
  } finally {
    a.setGrainScale(1);
    a.setThreads(nativeThreadCount() as number);
  }
}

afterAll(() => {
  addon?.setGrainScale(1);
  setNativeKernels(true);
});

describe(`the addon's threads on ${process.env.HOW_LLMS_BACKEND}`, () => {
  it('are set from HOW_LLMS_THREADS or one per core where the addon is built, or say why it is not', () => {
    if (!addon) {
      expect(nativeAddon().reason, `${NATIVE_ADDON_PATH}`).toMatch(/not built|older source|does not load/);
      return;
    }
    expect(addon.threads()).toBe(nativeThreadCount());
    const n = nativeThreadCount();
    expect(typeof n === 'number' && n >= 1).toBe(true);
    if (!process.env.HOW_LLMS_THREADS) expect(addon.threads()).toBe(defaultThreadCount());
    expect(() => addon.setThreads(0)).toThrow(/thread count from 1 to 64/);
    expect(() => addon.setThreads(65)).toThrow(/thread count from 1 to 64/);
    expect(() => addon.setGrainScale(-1)).toThrow(/number >= 0/);
    expect(addon.threads()).toBe(nativeThreadCount()); // a refused count changes nothing
  });

  const products: [
    what: string,
    batch: number,
    M: number,
    N: number,
    K: number,
    tA: number,
    tB: number,
    strideA: boolean,
    strideB: boolean,
    bias: boolean,
    act: number,
  ][] = [
    ['rows of one product (M > N)', 1, 67, 13, 21, 0, 0, true, true, false, 0],
    ['rows, a transposed', 1, 70, 9, 5, 1, 0, true, true, true, 1],
    ['columns of one product (N > M), b transposed, bias and relu6', 1, 11, 83, 17, 0, 1, true, true, true, 2],
    ['columns, both transposed', 1, 5, 40, 33, 1, 1, true, true, false, 0],
    ['whole products of a batch, b shared (stride 0)', 7, 9, 10, 11, 0, 1, true, false, false, 0],
    ['a batch, a shared and transposed, bias and relu', 5, 12, 6, 8, 1, 0, false, true, true, 1],
  ];
  for (const [what, batch, M, N, K, tA, tB, strideA, strideB, bias, act] of products) {
    it(`split a product into ${what} without changing it`, () => {
      if (!addon) return;
      const sizeA = (strideA ? batch : 1) * M * K;
      const sizeB = (strideB ? batch : 1) * K * N;
      const offB = sizeA;
      const offBias = offB + sizeB;
      const offOut = offBias + N;
      const heap = new Float32Array(offOut + batch * M * N + 3);
      heap.set(values(offOut, batch * 1000 + M));
      const guard = heap.length - 3;
      heap.fill(42, guard);
      const run = () => {
        heap.fill(-7, offOut, guard);
        addon.matmul(
          new Uint8Array(heap.buffer),
          batch,
          M,
          N,
          K,
          tA,
          tB,
          0,
          strideA ? M * K : 0,
          4 * offB,
          strideB ? K * N : 0,
          4 * offOut,
          bias ? 4 * offBias : -1,
          act,
        );
        return heap.slice(offOut, guard);
      };
      const [one, split] = oneAndSplit(run);
      expect(Array.from(heap.subarray(guard))).toEqual([42, 42, 42]); // nothing written past the output
      // The float64 reference: op(a) @ op(b) + bias, then the activation.
      let worst = 0;
      for (let i = 0; i < batch; i++) {
        for (let r = 0; r < M; r++) {
          for (let c = 0; c < N; c++) {
            let sum = bias ? heap[offBias + c] : 0;
            for (let k = 0; k < K; k++) {
              const a = heap[(strideA ? i * M * K : 0) + (tA ? k * M + r : r * K + k)];
              const b = heap[offB + (strideB ? i * K * N : 0) + (tB ? c * K + k : k * N + c)];
              sum += a * b;
            }
            if (act >= 1) sum = Math.max(0, sum);
            if (act === 2) sum = Math.min(6, sum);
            const at = (i * M + r) * N + c;
            worst = Math.max(
              worst,
              Math.abs(split[at] - sum) / (1 + Math.abs(sum)),
              Math.abs(split[at] - one[at]) / (1 + Math.abs(one[at])),
            );
          }
        }
      }
      expect(worst).toBeLessThan(1e-5);
    });
  }

  /** Every output of a fused kernel, one thread against a split, bit for bit; and that it ran natively. */
  function splitMatches(
    name: string,
    inputs: Record<string, Float32Array>,
    shapes: Record<string, number[]>,
    attrs: object = {},
  ): void {
    if (!runs) {
      expect(nativeKernelsStatus()).toBeDefined();
      return;
    }
    const before = nativeKernelCount(name);
    const [one, split] = oneAndSplit(() =>
      tf.tidy(() => {
        const tensors = Object.fromEntries(
          Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v, shapes[k] ?? [v.length])]),
        );
        return runFused(name, tensors, attrs).map((t) => t.dataSync() as Float32Array);
      }),
    );
    expect(nativeKernelCount(name) - before, `${name} ran natively twice`).toBe(2);
    expect(split.length).toBe(one.length);
    one.forEach((want, i) => expect(split[i], `${name} output ${i}`).toEqual(want));
  }

  it('split GELU and its gradient over elements without changing them', () => {
    const n = 5 * 256 + 77; // whole blocks and a ragged end
    const x = values(n, 1, 4);
    splitMatches('HowLlmsGelu', { x }, {});
    splitMatches('HowLlmsGeluGrad', { dy: values(n, 2), x }, {});
  });

  it('split layer norm over rows and its gradient over rows and columns without changing them', () => {
    const [rows, C] = [37, 40]; // columns: two chunks of 16 and a ragged one
    const x = values(rows * C, 3, 2);
    const weight = values(C, 4);
    const bias = values(C, 5);
    splitMatches('HowLlmsLayerNorm', { x, weight, bias }, { x: [rows, C] }, { eps: 1e-5 });
    splitMatches('HowLlmsLayerNormNoBias', { x, weight }, { x: [rows, C] }, { eps: 1e-5 });
    const rstd = tf.tidy(
      () =>
        runFused(
          'HowLlmsLayerNorm',
          { x: tf.tensor(x, [rows, C]), weight: tf.tensor(weight), bias: tf.tensor(bias) },
          { eps: 1e-5 },
        )[1].dataSync() as Float32Array,
    );
    splitMatches(
      'HowLlmsLayerNormGrad',
      { dy: values(rows * C, 6), x, weight, rstd },
      { dy: [rows, C], x: [rows, C], rstd: [rows] },
    );
  });

  it('split AdamW over elements without changing it', () => {
    const n = 4001;
    const attrs = { lr: 3e-4, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, bc1: 0.1, bc2: 0.05 };
    splitMatches(
      'HowLlmsAdamW',
      {
        param: values(n, 7),
        m: values(n, 8, 0.01),
        v: values(n, 9, 0.01).map(Math.abs),
        grad: values(n, 10),
        scale: Float32Array.of(0.5),
      },
      { scale: [] },
      attrs,
    );
  });

  it('split the causal softmax and its gradient over rows without changing them (causal from 0 and an offset, unmasked)', () => {
    for (const [shape, causal, offset] of [
      [[2, 3, 13, 13], true, 0],
      [[2, 3, 5, 12], true, 7],
      [[3, 7, 9], false, 0],
    ] as [number[], boolean, number][]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const scores = values(n, 11, 3);
      const attrs = { scale: 0.25, causal, offset };
      splitMatches('HowLlmsCausalSoftmax', { scores }, { scores: shape }, attrs);
      const y = tf.tidy(
        () =>
          runFused('HowLlmsCausalSoftmax', { scores: tf.tensor(scores, shape) }, attrs)[0].dataSync() as Float32Array,
      );
      splitMatches('HowLlmsCausalSoftmaxGrad', { dy: values(n, 12), y }, { dy: shape, y: shape }, attrs);
    }
  });

  it('split the heads over rows and merge them over heads (with column sums) without changing them', () => {
    const [B, T, H, D] = [3, 7, 4, 6];
    const C = H * D;
    const x = values(B * T * 3 * C, 13);
    splitMatches(
      'HowLlmsSplitHeadsBias3',
      { x, bias: values(3 * C, 14) },
      { x: [B * T, 3 * C], bias: [3 * C] },
      { nHead: H, seqLen: T, inRank: 2 },
    );
    const parts = { q: values(B * H * T * D, 15), k: values(B * H * T * D, 16), v: values(B * H * T * D, 17) };
    const partShapes = { q: [B, H, T, D], k: [B, H, T, D], v: [B, H, T, D] };
    for (const columnSums of [false, true])
      splitMatches('HowLlmsMergeHeads3', parts, partShapes, { outRank: 2, partShape: [B, H, T, D], columnSums });
  });

  it('give the same training step (loss, every gradient, the updated weights) split as on one thread, and keep tensors flat', () => {
    if (!addon) return;
    const config = { vocabSize: 17, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 32, dropout: 0 };
    const lossFn = L.gptLoss(config);
    const step = () => {
      const params = L.initGPT(config, 7);
      const optimizer = L.createAdamW(params, { weightDecay: 0.1 });
      const rng = new Rng(3);
      const ids = Int32Array.from({ length: 500 }, () => rng.int(config.vocabSize));
      const batch = L.sampleLMBatch(ids, 5, config.blockSize, rng);
      const { loss, grads } = L.lossAndGrads(() => lossFn(params, batch, { training: true, step: 0, seed: 0 }), params);
      const { scale, norm } = L.clipScale(grads, 1.0);
      L.adamwStep(optimizer, params, grads, 1e-3, { gradScale: scale });
      const out = {
        loss: loss.dataSync()[0],
        grads: Object.values(grads).map((g) => g.dataSync() as Float32Array),
        params: Object.values(params).map((p) => p.dataSync() as Float32Array),
      };
      tf.dispose([loss, norm, scale, batch.x, batch.y, ...Object.values(grads)]);
      L.disposeAdamW(optimizer);
      L.disposeNamed(params);
      return out;
    };
    step();
    const before = tf.memory().numTensors;
    const [one, split] = oneAndSplit(step);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(split.loss - one.loss)).toBeLessThan(1e-6);
    // On wasm the products' split may round differently in the last float32 bit (the fused kernels' never does).
    const close = (a: Float32Array[], b: Float32Array[], floor: number) => {
      let worst = 0;
      a.forEach((x, i) =>
        x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j]) / (floor + Math.abs(v))))),
      );
      return worst;
    };
    expect(close(one.grads, split.grads, 1e-3)).toBeLessThan(1e-4);
    // AdamW's first step moves each weight by about lr·sign(g): compared in absolute terms, a hundredth of lr.
    expect(close(one.params, split.params, 1)).toBeLessThan(1e-5);
  });

  it('survive many small split calls in a row (no lost wake-up between the pool and its caller)', () => {
    if (!runs) return;
    const x = values(300, 18);
    const y = new Float32Array(300);
    const want = new Float32Array(300);
    const a = addon as NativeAddon & { gelu(x: Float32Array, y: Float32Array): void };
    a.setThreads(1);
    a.gelu(x, want);
    oneAndSplit(() => {
      for (let i = 0; i < 2000; i++) a.gelu(x, y);
    });
    expect(y).toEqual(want);
  });
});
