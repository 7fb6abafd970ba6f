/**
 * The fused kernels, native (C, accel/native/fused_kernels.c) against their JavaScript loops, at the baby GPT's sizes:
 *   npx tsx bench/native-kernels.ts [rounds]          each kernel alone
 *   npx tsx bench/native-kernels.ts step [rounds]     the baby GPT's training step (as bench/profile.ts runs it)
 *   npx tsx bench/native-kernels.ts threads [rounds]  each product and kernel of the baby and the wide GPT, and their
 *                                                     steps, on 1 thread against the default (one per core), turn about
 * (HOW_LLMS_BACKEND picks wasm or cpu; wasm by default.) Each round runs native and JavaScript once each, turn about,
 * so both see the same load on a shared machine; prints medians: ms per kernel call, or per step and per kernel
 * (under tf.profile, summed over the step's calls).
 */
import * as L from '@how-llms-work/lib';
import { tf } from '@how-llms-work/lib';
import { nativeKernelCount, runFused, setNativeKernels } from '../accel/src/fused';
import '../accel/src/kernels/gelu';
import '../accel/src/kernels/layernorm';
import '../accel/src/kernels/adamw';
import '../accel/src/kernels/global-norm';
import '../accel/src/kernels/attention';
import '../accel/src/kernels/cross-entropy';
import { nativeAddon } from '../accel/src/native-matmul';
import { MODELS, libraryStep, randomTensor as random, type BenchModel } from './common';

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

/** The baby GPT's training step, natively and in JavaScript turn about: wall ms, and each fused kernel's ms under tf.profile. */
async function steps(rounds: number): Promise<void> {
  const { step } = libraryStep(MODELS.baby);
  const wall = { native: [] as number[], js: [] as number[] };
  const profiled = { native: [] as number[], js: [] as number[] };
  const kernels = new Map<string, { native: number[]; js: number[] }>();
  for (let r = 0; r < rounds + 1; r++) {
    for (const on of r % 2 === 0 ? [true, false] : [false, true]) {
      const mode = on ? 'native' : 'js';
      setNativeKernels(on);
      let t0 = performance.now();
      step();
      const ms = performance.now() - t0;
      t0 = performance.now();
      const profile = await tf.profile(step);
      const profiledMs = performance.now() - t0;
      if (r === 0) continue; // warm-up
      wall[mode].push(ms);
      profiled[mode].push(profiledMs);
      const sums = new Map<string, number>();
      for (const k of profile.kernels)
        if (k.name.startsWith('HowLlms')) sums.set(k.name, (sums.get(k.name) ?? 0) + (k.kernelTimeMs as number));
      for (const [name, sum] of sums) {
        if (!kernels.has(name)) kernels.set(name, { native: [], js: [] });
        kernels.get(name)![mode].push(sum);
      }
    }
  }
  setNativeKernels(true);
  const row = (name: string, n: number, j: number) =>
    console.log(`${name.padEnd(26)} ${n.toFixed(1).padStart(10)} ${j.toFixed(1).padStart(10)}`);
  console.log(`${'baby GPT step, median ms'.padEnd(26)} ${'native'.padStart(10)} ${'JS'.padStart(10)}`);
  row('step (wall)', median(wall.native), median(wall.js));
  row('step under tf.profile', median(profiled.native), median(profiled.js));
  let [sumN, sumJ] = [0, 0];
  for (const [name, { native, js }] of [...kernels].sort((a, b) => median(b[1].js) - median(a[1].js))) {
    row(name, median(native), median(js));
    [sumN, sumJ] = [sumN + median(native), sumJ + median(js)];
  }
  row('fused kernels together', sumN, sumJ);
}

/** The products and the split kernels of one model's step at its sizes, each a function returning its outputs. */
function splitCases(model: BenchModel): [string, () => tf.Tensor[]][] {
  const { batchSize: B, config } = model;
  const [T, C, H] = [config.blockSize, config.nEmbd, config.nHead];
  const x = random([B * T, C], 1);
  const h = random([B * T, 4 * C], 2);
  const w = random([4 * C, C], 3);
  const q = random([B, H, T, C / H], 4);
  const scores = random([B, H, T, T], 5);
  const qkv = random([B * T, 3 * C], 6);
  const parts = [0, 1, 2].map((i) => random([B, H, T, C / H], 7 + i));
  const p = random([4 * C * C], 10);
  const [m, v] = [tf.zerosLike(p), tf.onesLike(p)];
  const softmax = { scale: 0.25, causal: true, offset: 0 };
  return [
    [`x @ Wᵀ (${B * T}, ${C})·(${4 * C}, ${C})ᵀ`, () => [tf.matMul(x, w, false, true)]],
    [`xᵀ @ dy (${C}, ${B * T})·(${B * T}, ${4 * C})`, () => [tf.matMul(x, h, true, false)]],
    [`q @ kᵀ, ${B * H} × (${T}, ${C / H})`, () => [tf.matMul(q, q, false, true)]],
    ['GELU', () => runFused('HowLlmsGelu', { x: h })],
    ['GELU gradient', () => runFused('HowLlmsGeluGrad', { dy: h, x: h })],
    [
      'layer norm',
      () =>
        runFused(
          'HowLlmsLayerNorm',
          { x, weight: x.slice(0, 1).reshape([C]), bias: x.slice(1, 1).reshape([C]) },
          { eps: 1e-5 },
        ),
    ],
    [
      'layer norm gradient',
      () => runFused('HowLlmsLayerNormGrad', { dy: x, x, weight: x.slice(0, 1).reshape([C]), rstd: tf.ones([B * T]) }),
    ],
    ['causal softmax', () => runFused('HowLlmsCausalSoftmax', { scores }, softmax)],
    ['causal softmax gradient', () => runFused('HowLlmsCausalSoftmaxGrad', { dy: scores, y: scores }, softmax)],
    [
      'AdamW, one (4C, C) weight',
      () =>
        runFused(
          'HowLlmsAdamW',
          { param: p, m, v, grad: p, scale: tf.scalar(0.5) },
          { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, bc1: 0.1, bc2: 0.05 },
        ),
    ],
    ['split heads (q, k, v)', () => runFused('HowLlmsSplitHeads3', { x: qkv }, { nHead: H, seqLen: T, inRank: 2 })],
    [
      'merge heads with sums',
      () =>
        runFused(
          'HowLlmsMergeHeads3',
          { q: parts[0], k: parts[1], v: parts[2] },
          { outRank: 2, partShape: parts[0].shape, columnSums: true },
        ),
    ],
  ];
}

/** Each product and split kernel, and the whole step, of the baby and the wide GPT: 1 thread against the default, turn about. */
function threads(rounds: number): void {
  const addon = nativeAddon().addon;
  if (!addon) throw new Error(`the native addon does not load: ${nativeAddon().reason}`);
  const most = addon.threads();
  console.log(
    `${'median ms'.padEnd(44)} ${'1 thread'.padStart(10)} ${`${most} threads`.padStart(10)} ${'speed-up'.padStart(9)}`,
  );
  for (const model of [MODELS.baby, MODELS.wide]) {
    const { step } = libraryStep(model);
    const cases: [string, () => void][] = [
      ...splitCases(model).map(([name, f]): [string, () => void] => [
        name,
        () => tf.dispose(tf.tidy(() => f().map((t) => (t.dataSync(), t)))),
      ]),
      ['the training step', step],
    ];
    for (const [name, f] of cases) {
      const times: Record<number, number[]> = { 1: [], [most]: [] };
      const n = name === 'the training step' && model === MODELS.wide ? Math.max(2, Math.ceil(rounds / 5)) : rounds;
      for (let r = 0; r < n + 1; r++) {
        for (const t of r % 2 === 0 ? [1, most] : [most, 1]) {
          addon.setThreads(t);
          const t0 = performance.now();
          f();
          if (r > 0) times[t].push(performance.now() - t0); // round 0 warms up
        }
      }
      addon.setThreads(most);
      const [one, all] = [median(times[1]), median(times[most])];
      console.log(
        `${`${model.name}: ${name}`.padEnd(44)} ${one.toFixed(3).padStart(10)} ${all.toFixed(3).padStart(10)} ${(one / all).toFixed(2).padStart(8)}×`,
      );
    }
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'threads') {
    const info = await L.ready();
    console.log(info.summary);
    return threads(Number(process.argv[3] ?? 15));
  }
  const stepMode = process.argv[2] === 'step';
  const rounds = Number(process.argv[stepMode ? 3 : 2] ?? 15);
  const info = await L.ready();
  if (stepMode) {
    const off = setNativeKernels(true);
    console.log(`${info.summary}\nnative kernels: ${off === undefined ? 'on' : `off (${off})`}`);
    return steps(rounds);
  }
  // The baby GPT (bench/common.ts): batch 12, 64 tokens, 128 wide, 4 heads, MLP 512.
  const [B, T, C, H] = [12, 64, 128, 4];
  const x = random([B * T, C], 1);
  const h = random([B * T, 4 * C], 2);
  const dh = random([B * T, 4 * C], 3);
  const w = random([C], 4);
  const b = random([C], 5);
  const rstd = tf.ones([B * T]);
  const scores = random([B, H, T, T], 6);
  const qkv = random([B * T, 3 * C], 7);
  const qkvBias = random([3 * C], 8);
  const parts = [0, 1, 2].map((i) => random([B, H, T, C / H], 9 + i));
  const params = [random([128 * 512], 12), random([512 * 128], 13), random([65 * 128], 14)];
  const m = params.map((p) => tf.zerosLike(p));
  const v = params.map((p) => tf.onesLike(p));
  const scale = tf.scalar(0.5);
  const logits = random([B * T, 65], 15);
  const targets = tf.tensor1d(Array.from({ length: B * T }, (_, i) => i % 65));
  // One decoding step at position 200 of a 256-token cache (bench/common.ts's generation model), one sequence.
  const [kb, vb] = [random([1, H, 256, C / H], 16), random([1, H, 256, C / H], 17)];
  const step1 = random([1, 3 * C], 18);
  const adamw = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, bc1: 0.1, bc2: 0.05 };
  const softmax = { scale: 0.25, causal: true, offset: 0 };
  const cases: [string, () => tf.Tensor[]][] = [
    ['HowLlmsGelu', () => runFused('HowLlmsGelu', { x: h })],
    ['HowLlmsGeluGrad', () => runFused('HowLlmsGeluGrad', { dy: dh, x: h })],
    ['HowLlmsLayerNorm', () => runFused('HowLlmsLayerNorm', { x, weight: w, bias: b }, { eps: 1e-5 })],
    ['HowLlmsLayerNormGrad', () => runFused('HowLlmsLayerNormGrad', { dy: x, x, weight: w, rstd })],
    [
      'HowLlmsAdamW',
      () => params.flatMap((p, i) => runFused('HowLlmsAdamW', { param: p, m: m[i], v: v[i], grad: p, scale }, adamw)),
    ],
    [
      'HowLlmsGlobalNorm',
      () => runFused('HowLlmsGlobalNorm', Object.fromEntries(params.map((p, i) => [String(i), p])), { maxNorm: 1 }),
    ],
    ['HowLlmsCausalSoftmax', () => runFused('HowLlmsCausalSoftmax', { scores }, softmax)],
    ['HowLlmsCausalSoftmaxGrad', () => runFused('HowLlmsCausalSoftmaxGrad', { dy: scores, y: scores }, softmax)],
    [
      'HowLlmsSplitHeadsBias3',
      () => runFused('HowLlmsSplitHeadsBias3', { x: qkv, bias: qkvBias }, { nHead: H, seqLen: T, inRank: 2 }),
    ],
    ['HowLlmsCrossEntropy', () => runFused('HowLlmsCrossEntropy', { logits, targets })],
    [
      'HowLlmsCachedAttentionBias',
      () =>
        runFused(
          'HowLlmsCachedAttentionBias',
          { qkv: step1, bias: qkvBias, kBuffer: kb, vBuffer: vb },
          { nHead: H, position: 200, scale: 1 / Math.sqrt(C / H), ropePosition: -1, ropeBase: 10000, weights: false },
        ),
    ],
    [
      'HowLlmsMergeHeads3',
      () =>
        runFused(
          'HowLlmsMergeHeads3',
          { q: parts[0], k: parts[1], v: parts[2] },
          { outRank: 2, partShape: parts[0].shape, columnSums: true },
        ),
    ],
  ];
  const times = new Map<string, { native: number[]; js: number[]; ran: boolean }>(
    cases.map(([name]) => [name, { native: [], js: [], ran: false }]),
  );
  const time = (f: () => tf.Tensor[]): number => {
    const t0 = performance.now();
    const outs = f();
    const ms = performance.now() - t0;
    tf.dispose(outs);
    return ms;
  };
  const off = setNativeKernels(true);
  console.log(`${info.summary}\nnative kernels: ${off === undefined ? 'on' : `off (${off})`}`);
  for (let r = 0; r < rounds + 1; r++) {
    for (const [name, f] of cases) {
      const order = r % 2 === 0 ? [true, false] : [false, true];
      for (const on of order) {
        setNativeKernels(on);
        const before = nativeKernelCount(name);
        const ms = time(f);
        const entry = times.get(name)!;
        if (on && nativeKernelCount(name) > before) entry.ran = true;
        if (r > 0) entry[on ? 'native' : 'js'].push(ms); // round 0 warms up
      }
    }
  }
  setNativeKernels(true);
  console.log(`${'kernel'.padEnd(26)} ${'native ms'.padStart(10)} ${'JS ms'.padStart(10)} ${'JS/native'.padStart(10)}`);
  for (const [name, { native, js, ran }] of times) {
    const [n, j] = [median(native), median(js)];
    const note = ran ? '' : '  (no native version ran: both are the JS loop)';
    console.log(
      `${name.padEnd(26)} ${n.toFixed(3).padStart(10)} ${j.toFixed(3).padStart(10)} ${(j / n).toFixed(1).padStart(10)}${note}`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
