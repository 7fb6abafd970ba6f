/**
 * Attention as a few kernels instead of a few dozen.
 *
 * Training (lib/src/model/attention.ts, multihead.ts):
 *   - `HowLlmsCausalSoftmax`: softmax(scores · scale + causal mask) over the last axis, one kernel, no (T, T)
 *     mask tensor: query i (at absolute position offset + i) sees keys j ≤ offset + i, the others get weight
 *     exactly 0, as an additive −1e9 gives. Its gradient is one kernel too, from the weights it saved:
 *       dscores = scale · w ⊙ (dw − Σⱼ dwⱼ wⱼ)
 *   - `HowLlmsSplitHeads{1,2,3}`: (B·T, P·C) → P tensors (B, H, T, D) (the queries, keys and values of a
 *     projection, each split into heads), one kernel instead of SplitV plus a reshape and a transpose per
 *     part; `HowLlmsMergeHeads{1,2,3}` is the inverse, and each is the other's gradient.
 *     `HowLlmsSplitHeadsBias{1,2,3}` adds the projection's bias (P·C) in the same pass; its gradient, one merge,
 *     also sums the columns for the bias (an Add and a column Sum fewer).
 * Generation with a key/value cache (lib/src/model/kv-cache.ts):
 *   - `HowLlmsKVCacheWrite`: copy new keys and values (B, H, T, D) into the cache's preallocated buffers
 *     (B, H, capacity, D) at a position, in place, and return the filled prefix (B, H, position + T, D).
 *   - `HowLlmsCachedAttention(Bias)`: one new query per sequence (a decoding step) straight from the packed
 *     projection (B, 3C) (plus its bias): write its key and value into the buffers in place, rotate query and key (RoPE)
 *     when asked, attend over every cached position (no mask: a last query sees them all), merge the heads
 *     → (B, C). About fifteen kernels per layer and token become one.
 *
 * The cache kernels write into their buffer inputs: the one place a fused kernel mutates an input. The
 * buffers belong to a KVCache, are made by tf.zeros (memory of their own, never a view of another tensor)
 * and only the cache reads them (through these kernels, or a slice of the filled part), so no other tensor changes
 * under anyone's feet. They have no gradient:
 * generation does not differentiate. Softmax sums and dot products accumulate in float64.
 *
 * Where the native addon is built (accel/native/fused_kernels.c, see fused.ts), the softmax, its gradient and the head
 * split/merge run its C versions of these same loops (vectorised; at the baby GPT's training sizes the JS loops are
 * slower than the several wasm kernels they replace), and so does the cached attention (without RoPE; with it, the JS
 * loop). The cache write is a copy and runs as JS.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, registerFusedKernel, runFused } from '../fused';

// ---- scale + causal mask + softmax ------------------------------------------------------------------

interface CausalSoftmaxAttrs {
  /** Multiplies the scores before the softmax (1/√D). */
  scale: number;
  /** Whether to mask: query i sees keys j ≤ offset + i. When false every key is seen (scale + softmax only). */
  causal: boolean;
  /** Absolute position of query 0 among the keys (Tk − Tq when the keys are cached past + new). */
  offset: number;
}

// One row's exponentials, in float64 until they are normalised.
let scratch = new Float64Array(0);

function causalSoftmax(
  x: Float32Array,
  y: Float32Array,
  [Tq, Tk]: number[],
  { scale, causal, offset }: CausalSoftmaxAttrs,
): void {
  if (scratch.length < Tk) scratch = new Float64Array(Tk);
  const e = scratch;
  const rows = x.length / Tk;
  for (let r = 0; r < rows; r++) {
    const base = r * Tk;
    const seen = causal ? Math.min(Tk, offset + (r % Tq) + 1) : Tk; // keys 0 … seen − 1
    let max = -Infinity;
    for (let j = 0; j < seen; j++) {
      const s = x[base + j] * scale;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let j = 0; j < seen; j++) sum += e[j] = Math.exp(x[base + j] * scale - max);
    const inv = 1 / sum;
    for (let j = 0; j < seen; j++) y[base + j] = e[j] * inv;
    for (let j = seen; j < Tk; j++) y[base + j] = 0;
  }
}

function causalSoftmaxGrad(
  dy: Float32Array,
  y: Float32Array,
  dx: Float32Array,
  [Tq, Tk]: number[],
  { scale, causal, offset }: CausalSoftmaxAttrs,
): void {
  const rows = y.length / Tk;
  for (let r = 0; r < rows; r++) {
    const base = r * Tk;
    const seen = causal ? Math.min(Tk, offset + (r % Tq) + 1) : Tk;
    let dot = 0;
    for (let j = 0; j < seen; j++) dot += dy[base + j] * y[base + j];
    for (let j = 0; j < seen; j++) dx[base + j] = scale * y[base + j] * (dy[base + j] - dot);
    // Masked keys have y = 0 and so get dx = 0, as through an additive mask.
    for (let j = seen; j < Tk; j++) dx[base + j] = 0;
  }
}

const lastTwo = (shape: number[]): number[] => shape.slice(-2);

/** The native version's numbers (accel/native/fused_kernels.c): Tq, Tk, scale, causal, offset (unused, so 0, unmasked). */
const softmaxArgs = (shape: number[], { scale, causal, offset }: CausalSoftmaxAttrs): number[] => [
  ...lastTwo(shape),
  scale,
  causal ? 1 : 0,
  causal ? offset : 0,
];

registerFusedKernel<CausalSoftmaxAttrs>(
  {
    name: 'HowLlmsCausalSoftmax',
    inputs: ['scores'],
    outputShapes: ([scores]) => [scores],
    native: 'causalSoftmax',
    nativeArgs: ([shape], attrs) => softmaxArgs(shape, attrs),
    compute: ([x], [y], [shape], attrs) => causalSoftmax(x, y, lastTwo(shape), attrs),
  },
  {
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => ({
      scores: () => runFused('HowLlmsCausalSoftmaxGrad', { dy: dy as tf.Tensor, y: saved[0] }, attrs)[0],
    }),
  },
);

registerFusedKernel<CausalSoftmaxAttrs>({
  name: 'HowLlmsCausalSoftmaxGrad',
  inputs: ['dy', 'y'],
  outputShapes: ([, y]) => [y],
  native: 'causalSoftmaxGrad',
  nativeArgs: ([, shape], attrs) => softmaxArgs(shape, attrs),
  compute: ([dy, y], [dx], [, shape], attrs) => causalSoftmaxGrad(dy, y, dx, lastTwo(shape), attrs),
});

/**
 * softmax(scores · scale + causal mask) over the last axis of scores (…, Tq, Tk) in one kernel (gradient one kernel),
 * or undefined where no fused kernel runs. `offset`: absolute position of query 0 (query i sees keys ≤ offset + i);
 * `causal: false` masks nothing.
 */
export function fusedCausalSoftmax(
  scores: tf.Tensor,
  scale: number,
  causal: boolean,
  offset = 0,
): tf.Tensor | undefined {
  if (!fusedAvailable('HowLlmsCausalSoftmax', [scores])) return undefined;
  return runFused('HowLlmsCausalSoftmax', { scores }, { scale, causal, offset })[0];
}

// ---- heads: (B·T, P·C) (+ bias) ⇄ P × (B, H, T, D) ------------------------------------------------------

interface SplitAttrs {
  nHead: number;
  /** T: rows of the input are (b, t) pairs, t fastest. */
  seqLen: number;
  /** Rank of the input, 2 (B·T, P·C) or 3 (B, T, P·C), so the gradient (a merge) comes back in its shape. */
  inRank: number;
}

interface MergeAttrs {
  /** 2: output (B·T, P·C); 3: (B, T, P·C). */
  outRank: number;
  /** Shape of each part (B, H, T, D), for the gradient (a split). */
  partShape: number[];
  /** Also output the column sums of the merged rows (P·C): the gradient of a bias added before the split. */
  columnSums: boolean;
}

const PART_NAMES = [['x'], ['k', 'v'], ['q', 'k', 'v']] as const;

let sumScratch = new Float64Array(0);

/**
 * Between the packed layout x[(b·T + t)·P·C + p·C + h·D + d] and the parts part_p[((b·H + h)·T + t)·D + d]:
 * split (adding bias[p·C + h·D + d] when given), or merge (and sum each packed column into `sums` when given).
 * The loops walk each part in order, D values at a time from (or to) every P·C-th row of the packed layout.
 */
function copyHeads(
  packed: Float32Array,
  parts: Float32Array[],
  [B, T, H, D]: number[],
  toParts: boolean,
  bias?: Float32Array,
  sums?: Float32Array,
): void {
  const P = parts.length;
  const C = H * D;
  const W = P * C;
  for (let p = 0; p < P; p++) {
    const part = parts[p];
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const col = p * C + h * D;
        for (let t = 0, src = b * T * W + col, dst = (b * H + h) * T * D; t < T; t++, src += W, dst += D) {
          if (!toParts) for (let d = 0; d < D; d++) packed[src + d] = part[dst + d];
          else if (bias) for (let d = 0; d < D; d++) part[dst + d] = packed[src + d] + bias[col + d];
          else for (let d = 0; d < D; d++) part[dst + d] = packed[src + d];
        }
      }
    }
  }
  if (sums) {
    // Column sums of the merged rows, in float64, row by row.
    if (sumScratch.length < W) sumScratch = new Float64Array(W);
    const acc = sumScratch;
    acc.fill(0, 0, W);
    for (let o = 0; o < packed.length; o += W) for (let c = 0; c < W; c++) acc[c] += packed[o + c];
    for (let c = 0; c < W; c++) sums[c] = acc[c];
  }
}

/** [B, T, H, D] of a split's input shape. */
function splitDims(shape: number[], P: number, { nHead, seqLen }: SplitAttrs): number[] {
  const C = shape[shape.length - 1] / P;
  return [tf.util.sizeFromShape(shape.slice(0, -1)) / seqLen, seqLen, nHead, C / nHead];
}

for (let P = 1; P <= 3; P++) {
  const names = PART_NAMES[P - 1];
  const split = `HowLlmsSplitHeads${P}`;
  const merge = `HowLlmsMergeHeads${P}`;
  const partShapes = ([x]: number[][], attrs: SplitAttrs) => {
    const [B, T, H, D] = splitDims(x, P, attrs);
    return names.map(() => [B, H, T, D]);
  };
  const mergeOf = (dy: tf.Tensor | tf.Tensor[], attrs: SplitAttrs, columnSums: boolean) => {
    const dys = Array.isArray(dy) ? dy : [dy];
    const inputs = Object.fromEntries(names.map((n, i) => [n, dys[i]]));
    return runFused(merge, inputs, { outRank: attrs.inRank, partShape: dys[0].shape, columnSums });
  };
  registerFusedKernel<SplitAttrs>(
    {
      name: split,
      inputs: ['x'],
      outputShapes: partShapes,
      native: 'splitHeads',
      nativeArgs: ([x], attrs) => [...splitDims(x, P, attrs), 0],
      compute: ([x], parts, [shape], attrs) => copyHeads(x, parts, splitDims(shape, P, attrs), true),
    },
    { gradFunc: (dy, _saved, attrs) => ({ x: () => mergeOf(dy, attrs as unknown as SplitAttrs, false)[0] }) },
  );
  registerFusedKernel<SplitAttrs>(
    {
      name: `HowLlmsSplitHeadsBias${P}`,
      inputs: ['x', 'bias'],
      outputShapes: partShapes,
      native: 'splitHeads',
      nativeArgs: ([x], attrs) => [...splitDims(x, P, attrs), 1],
      compute: ([x, bias], parts, [shape], attrs) => copyHeads(x, parts, splitDims(shape, P, attrs), true, bias),
    },
    {
      gradFunc: (dy, _saved, attrs) => {
        // Both gradients from one merge, made here: each input's thunk runs in its own tidy, which would dispose the other.
        const [dx, dbias] = mergeOf(dy, attrs as unknown as SplitAttrs, true);
        return { x: () => dx, bias: () => dbias };
      },
    },
  );
  registerFusedKernel<MergeAttrs>(
    {
      name: merge,
      inputs: names,
      outputShapes: ([part], { outRank, columnSums }) => {
        const [B, H, T, D] = part;
        const merged = outRank === 2 ? [B * T, P * H * D] : [B, T, P * H * D];
        return columnSums ? [merged, [P * H * D]] : [merged];
      },
      native: 'mergeHeads',
      nativeArgs: ([[B, H, T, D]], { columnSums }) => [B, T, H, D, columnSums ? 1 : 0],
      compute: (parts, [x, sums], [shape]) => {
        const [B, H, T, D] = shape;
        copyHeads(x, parts, [B, T, H, D], false, undefined, sums);
      },
    },
    {
      gradFunc: (dy, _saved, attrs) => {
        // Split once, here: each input's thunk runs in its own tidy, which would dispose the other parts.
        const [, H, T] = (attrs as unknown as MergeAttrs).partShape;
        const dx = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
        const parts = runFused(split, { x: dx }, { nHead: H, seqLen: T, inRank: dx.rank });
        return Object.fromEntries(names.map((n, i) => [n, () => parts[i]]));
      },
    },
  );
}

/**
 * Split x (B·T, P·C) or (B, T, P·C), plus bias (P·C) when given, into P parts, each (B, H, T, C/H), in one kernel
 * (gradient one kernel), or undefined where no fused kernel runs. P = 1 splits heads; P = 3 splits a packed q, k, v
 * projection too, and the bias is the projection's.
 */
export function fusedSplitHeads(
  x: tf.Tensor,
  parts: 1 | 2 | 3,
  nHead: number,
  seqLen: number,
  bias?: tf.Tensor,
): tf.Tensor[] | undefined {
  const name = bias ? `HowLlmsSplitHeadsBias${parts}` : `HowLlmsSplitHeads${parts}`;
  if (!fusedAvailable(name, bias ? [x, bias] : [x])) return undefined;
  return runFused(name, bias ? { x, bias } : { x }, { nHead, seqLen, inRank: x.rank });
}

/** Merge parts, each (B, H, T, D), into (B·T, P·H·D) (outRank 2) or (B, T, P·H·D) (outRank 3), in one kernel, or undefined. */
export function fusedMergeHeads(parts: tf.Tensor[], outRank: 2 | 3): tf.Tensor | undefined {
  const name = `HowLlmsMergeHeads${parts.length}`;
  if (parts.length < 1 || parts.length > 3 || !fusedAvailable(name, parts)) return undefined;
  const names = PART_NAMES[parts.length - 1];
  const inputs = Object.fromEntries(names.map((n, i) => [n, parts[i]]));
  return runFused(name, inputs, { outRank, partShape: parts[0].shape, columnSums: false })[0];
}

// ---- the key/value cache ------------------------------------------------------------------------------

/** Copy rows (B, H, T, D) into buf (B, H, capacity, D) at positions position … position + T − 1. */
function writeRows(
  buf: Float32Array,
  rows: Float32Array,
  BH: number,
  capacity: number,
  T: number,
  D: number,
  position: number,
): void {
  for (let bh = 0; bh < BH; bh++) buf.set(rows.subarray(bh * T * D, (bh + 1) * T * D), (bh * capacity + position) * D);
}

/** The first `length` positions of buf (B, H, capacity, D) → out (B, H, length, D). */
function readPrefix(
  buf: Float32Array,
  out: Float32Array,
  BH: number,
  capacity: number,
  length: number,
  D: number,
): void {
  for (let bh = 0; bh < BH; bh++)
    out.set(buf.subarray(bh * capacity * D, (bh * capacity + length) * D), bh * length * D);
}

interface CacheWriteAttrs {
  position: number;
}

registerFusedKernel<CacheWriteAttrs>({
  name: 'HowLlmsKVCacheWrite',
  inputs: ['kBuffer', 'vBuffer', 'k', 'v'],
  updates: [0, 1],
  outputShapes: ([kb, , k], { position }) => [0, 1].map(() => [kb[0], kb[1], position + k[2], kb[3]]),
  compute: ([kb, vb, k, v], [kOut, vOut], [shape, , kShape], { position }) => {
    const [B, H, capacity, D] = shape;
    const T = kShape[2];
    writeRows(kb, k, B * H, capacity, T, D, position);
    writeRows(vb, v, B * H, capacity, T, D, position);
    readPrefix(kb, kOut, B * H, capacity, position + T, D);
    readPrefix(vb, vOut, B * H, capacity, position + T, D);
  },
});

/**
 * Write k, v (B, H, T, D) into copies of the buffers (B, H, capacity, D) at `position`; returns the keys and values
 * now held, each (B, H, position + T, D), then the new buffers (the given ones are unchanged). Undefined where no
 * fused kernel runs.
 */
export function fusedKVCacheWrite(
  kBuffer: tf.Tensor,
  vBuffer: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  position: number,
): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] | undefined {
  if (!fusedAvailable('HowLlmsKVCacheWrite', [kBuffer, vBuffer, k, v])) return undefined;
  const capacity = kBuffer.shape[2] as number;
  if (position + (k.shape[2] as number) > capacity)
    throw new Error(`KV cache: ${position} + ${k.shape[2]} positions exceed its capacity ${capacity}`);
  const [kAll, vAll, kNew, vNew] = runFused('HowLlmsKVCacheWrite', { kBuffer, vBuffer, k, v }, { position });
  return [kAll, vAll, kNew, vNew];
}

interface CachedAttentionAttrs {
  nHead: number;
  /** Where the new key and value go: the number of positions cached before this step. */
  position: number;
  scale: number;
  /** Rotate the new query and key (RoPE, adjacent pairs) by this absolute position; −1: no rotation. */
  ropePosition: number;
  ropeBase: number;
  /** Also output the attention weights (B, H, 1, position + 1). */
  weights: boolean;
}

/**
 * RoPE on one head's D values in place, exactly as applyRope's float32 ops compute it:
 * (x₀, x₁) → (x₀·cos − x₁·sin, x₁·cos + x₀·sin), each product and sum rounded to float32
 * (float64 holds a float32 product exactly, and rounding a float64 sum of two float32 values to float32
 * gives the float32 sum), with cos and sin rounded to float32 first, as the tables are.
 */
function rotate(x: Float32Array, at: number, D: number, cos: Float64Array, sin: Float64Array): void {
  const f = Math.fround;
  for (let i = 0; i < D / 2; i++) {
    const x0 = x[at + 2 * i];
    const x1 = x[at + 2 * i + 1];
    x[at + 2 * i] = f(f(x0 * cos[i]) + f(x1 * -sin[i]));
    x[at + 2 * i + 1] = f(f(x1 * cos[i]) + f(x0 * sin[i]));
  }
}

let ropeCache: { key: string; cos: Float64Array; sin: Float64Array } | undefined;

/** cos and sin (float32-rounded) of position · θᵢ, θᵢ = base^(−2i/D), as ropeTables and sinusoidalFrequencies compute them. */
function ropeAngles(position: number, D: number, base: number): { cos: Float64Array; sin: Float64Array } {
  const key = `${position},${D},${base}`;
  if (ropeCache?.key === key) return ropeCache;
  const cos = new Float64Array(D / 2);
  const sin = new Float64Array(D / 2);
  for (let i = 0; i < D / 2; i++) {
    const angle = position * Math.pow(base, (-2 * i) / D);
    cos[i] = Math.fround(Math.cos(angle));
    sin[i] = Math.fround(Math.sin(angle));
  }
  ropeCache = { key, cos, sin };
  return ropeCache;
}

let qScratch = new Float32Array(0);
let scoreScratch = new Float64Array(0);

/** q · k for D values from q[0] and k[at], four independent sums (a single running sum waits on each addition). */
function dot(q: Float32Array, k: Float32Array, at: number, D: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < D; d += 4) {
    s0 += q[d] * k[at + d];
    s1 += q[d + 1] * k[at + d + 1];
    s2 += q[d + 2] * k[at + d + 2];
    s3 += q[d + 3] * k[at + d + 3];
  }
  for (; d < D; d++) s0 += q[d] * k[at + d];
  return s0 + s1 + s2 + s3;
}

function cachedAttention(
  qkv: Float32Array,
  bias: Float32Array | undefined,
  kb: Float32Array,
  vb: Float32Array,
  y: Float32Array,
  w: Float32Array | undefined,
  [B, H, capacity, D]: number[],
  { position, scale, ropePosition, ropeBase }: CachedAttentionAttrs,
): void {
  const C = H * D;
  const Tk = position + 1;
  if (qScratch.length < D) qScratch = new Float32Array(D);
  if (scoreScratch.length < Tk) scoreScratch = new Float64Array(Tk);
  const q = qScratch;
  const e = scoreScratch;
  const rope = ropePosition >= 0 ? ropeAngles(ropePosition, D, ropeBase) : undefined;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const src = b * 3 * C + h * D;
      const head = (b * H + h) * capacity * D; // this head's rows in the buffers
      const at = head + position * D;
      // Each sum is rounded to float32 as it is stored, as an Add of the bias would round it.
      if (bias) {
        for (let d = 0; d < D; d++) {
          q[d] = qkv[src + d] + bias[h * D + d];
          kb[at + d] = qkv[src + C + d] + bias[C + h * D + d];
          vb[at + d] = qkv[src + 2 * C + d] + bias[2 * C + h * D + d];
        }
      } else {
        for (let d = 0; d < D; d++) {
          q[d] = qkv[src + d];
          kb[at + d] = qkv[src + C + d];
          vb[at + d] = qkv[src + 2 * C + d];
        }
      }
      if (rope) {
        rotate(q, 0, D, rope.cos, rope.sin);
        rotate(kb, at, D, rope.cos, rope.sin);
      }
      let max = -Infinity;
      for (let j = 0; j < Tk; j++) {
        const score = dot(q, kb, head + j * D, D) * scale;
        e[j] = score;
        if (score > max) max = score;
      }
      let sum = 0;
      for (let j = 0; j < Tk; j++) sum += e[j] = Math.exp(e[j] - max);
      const inv = 1 / sum;
      if (w) for (let j = 0, o = (b * H + h) * Tk; j < Tk; j++) w[o + j] = e[j] * inv;
      // y = Σⱼ eⱼ vⱼ / Σⱼ eⱼ, four output columns at a time down the rows (they stay in cache: Tk·D floats per head).
      const out = b * C + h * D;
      let d = 0;
      for (; d + 3 < D; d += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let j = 0, row = head + d; j < Tk; j++, row += D) {
          const p = e[j];
          a0 += p * vb[row];
          a1 += p * vb[row + 1];
          a2 += p * vb[row + 2];
          a3 += p * vb[row + 3];
        }
        y[out + d] = a0 * inv;
        y[out + d + 1] = a1 * inv;
        y[out + d + 2] = a2 * inv;
        y[out + d + 3] = a3 * inv;
      }
      for (; d < D; d++) {
        let a = 0;
        for (let j = 0, row = head + d; j < Tk; j++, row += D) a += e[j] * vb[row];
        y[out + d] = a * inv;
      }
    }
  }
}

const cachedAttentionShapes = (
  qkv: number[],
  kb: number[],
  { position, weights }: CachedAttentionAttrs,
): number[][] => {
  const out = [[qkv[0], qkv[1] / 3]];
  if (weights) out.push([kb[0], kb[1], 1, position + 1]);
  return out;
};

/** The native version's numbers (accel/native/fused_kernels.c); it has no RoPE, so with RoPE the JS loop runs. */
const cachedAttentionArgs = (
  kb: number[],
  { position, scale, ropePosition, weights }: CachedAttentionAttrs,
  hasBias: boolean,
) => (ropePosition >= 0 ? undefined : [...kb, position, scale, hasBias ? 1 : 0, weights ? 1 : 0]);

registerFusedKernel<CachedAttentionAttrs>({
  name: 'HowLlmsCachedAttention',
  inputs: ['qkv', 'kBuffer', 'vBuffer'],
  updates: [1, 2],
  outputShapes: ([qkv, kb], attrs) => cachedAttentionShapes(qkv, kb, attrs),
  native: 'cachedAttention',
  nativeArgs: ([, kb], attrs) => cachedAttentionArgs(kb, attrs, false),
  compute: ([qkv, kb, vb], [y, w], [, kbShape], attrs) => cachedAttention(qkv, undefined, kb, vb, y, w, kbShape, attrs),
});

registerFusedKernel<CachedAttentionAttrs>({
  name: 'HowLlmsCachedAttentionBias',
  inputs: ['qkv', 'bias', 'kBuffer', 'vBuffer'],
  updates: [2, 3],
  outputShapes: ([qkv, , kb], attrs) => cachedAttentionShapes(qkv, kb, attrs),
  native: 'cachedAttention',
  nativeArgs: ([, , kb], attrs) => cachedAttentionArgs(kb, attrs, true),
  compute: ([qkv, bias, kb, vb], [y, w], [, , kbShape], attrs) =>
    cachedAttention(qkv, bias, kb, vb, y, w, kbShape, attrs),
});

/** Options of fusedCachedAttention. */
export interface CachedAttentionOptions {
  nHead: number;
  /** Positions already cached: the new key and value are written here. */
  position: number;
  /** Rotate the new query and key by RoPE at this absolute position (usually `position`). */
  ropePosition?: number;
  ropeBase?: number;
  /** Also return the attention weights (B, H, 1, position + 1). */
  weights?: boolean;
  /** The projection's bias (3C), added to qkv first. */
  bias?: tf.Tensor;
}

/**
 * One decoding step of attention over a preallocated cache: qkv (B, 3C) packed as [q | k | v] (each H heads of D, plus
 * the projection's bias when given),
 * buffers (B, H, capacity, D) → output (B, C), heads merged, optionally the weights (B, H, 1, position + 1), then
 * copies of the buffers with the new key and value at `position` (the given buffers are unchanged). Undefined where
 * no fused kernel runs.
 */
export function fusedCachedAttention(
  qkv: tf.Tensor,
  kBuffer: tf.Tensor,
  vBuffer: tf.Tensor,
  o: CachedAttentionOptions,
): tf.Tensor[] | undefined {
  const name = o.bias ? 'HowLlmsCachedAttentionBias' : 'HowLlmsCachedAttention';
  if (!fusedAvailable(name, [qkv, kBuffer, vBuffer, ...(o.bias ? [o.bias] : [])])) return undefined;
  const [B, H, capacity, D] = kBuffer.shape as number[];
  if (qkv.rank !== 2 || qkv.shape[0] !== B || qkv.shape[1] !== 3 * H * D || H !== o.nHead) {
    throw new Error(
      `cached attention: qkv ${JSON.stringify(qkv.shape)} does not match buffers ${JSON.stringify(kBuffer.shape)} with ${o.nHead} heads`,
    );
  }
  if (o.position >= capacity) throw new Error(`KV cache: position ${o.position} is past its capacity ${capacity}`);
  return runFused(name, o.bias ? { qkv, bias: o.bias, kBuffer, vBuffer } : { qkv, kBuffer, vBuffer }, {
    nHead: o.nHead,
    position: o.position,
    scale: 1 / Math.sqrt(D),
    ropePosition: o.ropePosition ?? -1,
    ropeBase: o.ropeBase ?? 10000,
    weights: o.weights ?? false,
  });
}
