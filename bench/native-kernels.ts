/**
 * The fused kernels, native (C, accel/native/fused_kernels.c) against their JavaScript loops, at the baby GPT's sizes:
 *   npx tsx bench/native-kernels.ts [rounds]          each kernel alone
 *   npx tsx bench/native-kernels.ts step [rounds]     the baby GPT's training step (as bench/profile.ts runs it)
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
import { MODELS, libraryStep, randomTensor as random } from './common';

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
      for (const k of profile.kernels) if (k.name.startsWith('HowLlms')) sums.set(k.name, (sums.get(k.name) ?? 0) + (k.kernelTimeMs as number));
      for (const [name, sum] of sums) {
        if (!kernels.has(name)) kernels.set(name, { native: [], js: [] });
        kernels.get(name)![mode].push(sum);
      }
    }
  }
  setNativeKernels(true);
  const row = (name: string, n: number, j: number) => console.log(`${name.padEnd(26)} ${n.toFixed(1).padStart(10)} ${j.toFixed(1).padStart(10)}`);
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

async function main(): Promise<void> {
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
    ['HowLlmsAdamW', () => params.flatMap((p, i) => runFused('HowLlmsAdamW', { param: p, m: m[i], v: v[i], grad: p, scale }, adamw))],
    ['HowLlmsGlobalNorm', () => runFused('HowLlmsGlobalNorm', Object.fromEntries(params.map((p, i) => [String(i), p])), { maxNorm: 1 })],
    ['HowLlmsCausalSoftmax', () => runFused('HowLlmsCausalSoftmax', { scores }, softmax)],
    ['HowLlmsCausalSoftmaxGrad', () => runFused('HowLlmsCausalSoftmaxGrad', { dy: scores, y: scores }, softmax)],
    ['HowLlmsSplitHeadsBias3', () => runFused('HowLlmsSplitHeadsBias3', { x: qkv, bias: qkvBias }, { nHead: H, seqLen: T, inRank: 2 })],
    ['HowLlmsCrossEntropy', () => runFused('HowLlmsCrossEntropy', { logits, targets })],
    ['HowLlmsCachedAttentionBias', () => runFused('HowLlmsCachedAttentionBias', { qkv: step1, bias: qkvBias, kBuffer: kb, vBuffer: vb }, { nHead: H, position: 200, scale: 1 / Math.sqrt(C / H), ropePosition: -1, ropeBase: 10000, weights: false })],
    ['HowLlmsMergeHeads3', () => runFused('HowLlmsMergeHeads3', { q: parts[0], k: parts[1], v: parts[2] }, { outRank: 2, partShape: parts[0].shape, columnSums: true })],
  ];
  const times = new Map<string, { native: number[]; js: number[]; ran: boolean }>(cases.map(([name]) => [name, { native: [], js: [], ran: false }]));
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
    console.log(`${name.padEnd(26)} ${n.toFixed(3).padStart(10)} ${j.toFixed(3).padStart(10)} ${(j / n).toFixed(1).padStart(10)}${note}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
