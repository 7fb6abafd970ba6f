/**
 * Helpers shared by the exercise tests (visible in test/exercises/, hidden in grading/hidden/).
 * A test file imports its own exercise file, the library, and this file only; this file imports
 * only the library, so a test never loads another exercise's code.
 */
import { expect } from 'vitest';
import {
  adamwStep,
  clipScale,
  lossAndGrads,
  Rng,
  tf,
  trainBpe,
  type AdamWState,
  type GPTConfig,
  type Params,
} from '@how-llms-work/lib';

/** A seeded tensor of standard normal values times `std`, of the given shape. */
export function randn(shape: number[], seed: number, std = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std),
    shape,
  );
}

/** The largest absolute difference between two tensors of the same shape. */
export const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);

/** `n` standard normal numbers, from a seed or from a generator the caller keeps drawing from. */
export const randomVector = (n: number, seed: number | Rng) => {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  return Array.from({ length: n }, () => rng.normal());
};

/** The dot product of two vectors (n). */
export const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** The Euclidean length of a vector (n). */
export const norm = (v: number[]) => Math.sqrt(dot(v, v));

/** A matrix (m, n) times a vector (n). */
export const matVec = (M: number[][], x: number[]) => M.map((row) => row.reduce((s, m, j) => s + m * x[j], 0));

/** Softmax of plain numbers, written out, to check the exercises without the library. */
export const softmaxJs = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** Every entry within `tol` of the wanted one (absolute), naming the first entry that is not. */
export const expectAllClose = (got: number[], want: ArrayLike<number>, tol = 1e-6) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++)
    expect(Math.abs(got[i] - want[i]), `entry ${i}: ${got[i]} vs ${want[i]}`).toBeLessThan(tol);
};

/** Every entry equal to the wanted one to `digits` decimal places (vitest's toBeCloseTo). */
export const expectCloseTo = (got: number[], want: ArrayLike<number>, digits = 9) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

type ReferenceTokenizer = {
  corpus: string;
  reference: ReturnType<typeof trainBpe>;
  referenceMerges: (readonly [number, number])[];
};
let bpe: ReferenceTokenizer | undefined;

/** A reference tokenizer from the library, to check the chapter 2 exercises on text nobody worked out by hand. */
export function referenceTokenizer(): ReferenceTokenizer {
  if (!bpe) {
    const corpus = 'the cat sat on the mat; the cat ate the rat. 我喜欢学习新知识 😀😀 unbelievable believable '.repeat(
      20,
    );
    const reference = trainBpe(corpus, { vocabSize: 256 + 60, pattern: null });
    bpe = { corpus, reference, referenceMerges: reference.merges.map((m) => m.pair) };
  }
  return bpe;
}

/**
 * Overwrite every parameter with seeded normal values of standard deviation `std` (norm gains around 1), so that a
 * comparison with the library is not decided by GPT-2's tiny initialisation (which makes attention nearly uniform).
 */
export function randomizeParams(params: Record<string, tf.Variable>, seed: number, std = 0.3): void {
  let i = 0;
  for (const [name, p] of Object.entries(params)) {
    const isGain = /\.ln_\w+\.weight$/.test(name);
    tf.tidy(() => {
      const noise = randn(p.shape, seed * 1000 + i++, std);
      p.assign(isGain ? noise.add(1) : noise);
    });
  }
}

/** Seeded random token ids (B, T) int32 in [0, V). */
export function randomIds(B: number, T: number, V: number, seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(
    Int32Array.from({ length: B * T }, () => rng.int(V)),
    [B, T],
    'int32',
  );
}

/** Gradients of sum(f() · weights) with respect to each named variable, for comparing two implementations' backward passes. */
export function namedGrads(
  f: () => tf.Tensor,
  variables: Record<string, tf.Variable>,
  weights: tf.Tensor,
): Record<string, tf.Tensor> {
  const names = Object.keys(variables);
  const { value, grads } = tf.variableGrads(
    () => f().mul(weights).sum() as tf.Scalar,
    names.map((n) => variables[n]),
  );
  value.dispose();
  return Object.fromEntries(names.map((n) => [n, grads[variables[n].name]]));
}

/** `n` seeded random small GPT configurations: 1 to 3 layers and heads, head width 2 to 4, with or without biases. */
export function randomGptConfigs(n: number, seed: number, blockSize: { min: number; max: number }): GPTConfig[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const nHead = 1 + rng.int(3);
    return {
      vocabSize: 5 + rng.int(20),
      blockSize: blockSize.min + rng.int(blockSize.max - blockSize.min + 1),
      nLayer: 1 + rng.int(3),
      nHead,
      nEmbd: nHead * (2 + rng.int(3)),
      bias: rng.int(3) > 0,
    };
  });
}

/** The library's training step, to compare a learner's trainStep with: lossAndGrads, clipScale, adamwStep → the loss. */
export function libraryTrainStep(
  params: Params,
  state: AdamWState,
  lossFn: () => tf.Scalar,
  lr: number,
  clipNorm: number,
): number {
  const { loss, grads } = lossAndGrads(lossFn, params);
  const { scale, norm } = clipScale(grads, clipNorm);
  adamwStep(state, params, grads, lr, { gradScale: scale });
  const value = loss.dataSync()[0];
  tf.dispose([loss, scale, norm, ...Object.values(grads)]);
  return value;
}

// What random text for the tokenizer exercises is made of: ASCII words, accents, CJK, emoji (surrogate pairs, a
// skin-tone modifier), lone surrogates (which UTF-8 cannot hold: TextEncoder writes U+FFFD), repeated runs.
const TEXT_PIECES = [
  'the',
  ' ',
  'cat',
  'ing',
  'é',
  'ß',
  '中',
  '文字',
  '😀',
  '🚀',
  '👍🏽',
  '\n',
  'aaaa',
  '\uD800',
  '\uDFFF',
  'zz',
  '...',
  'Ω',
  'ab',
];

/** Seeded random text of `pieces` pieces of TEXT_PIECES, for the tokenizer exercises. */
export function randomText(rng: Rng, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) out += TEXT_PIECES[rng.int(TEXT_PIECES.length)];
  return out;
}
