/**
 * SwiGLU (Shazeer 2020, "GLU Variants Improve Transformer"), the feed-forward network of Llama, Mistral and Qwen:
 *   FFN(x) = W_down (SiLU(W_gate x) ⊙ W_up x),   SiLU(z) = z · σ(z)
 * One projection proposes values, a second decides, per hidden unit, how much of each passes (a gate). Three
 * matrices instead of two, so the hidden width is ⅔ of GPT-2's 4C (8C/3, rounded up to a multiple of 8) to
 * keep the parameter count and the FLOPs about the same.
 * Names: `<prefix>.c_gate` (Hd, C), `<prefix>.c_fc` (Hd, C) (the "up" projection), `<prefix>.c_proj` (C, Hd).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { Params } from './params';
import { linear } from './linear';
import { addLinear, maybeParam, param } from './init';

/** SiLU (also called swish): z · σ(z), elementwise on any shape. */
export function silu(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => z.mul(tf.sigmoid(z)));
}

/** SwiGLU's hidden width for model width C: 8C/3 rounded up to a multiple of 8, so 3·C·Hd ≈ GPT-2's 8C². */
export function swigluHiddenWidth(C: number): number {
  return Math.ceil((8 * C) / 3 / 8) * 8;
}

/** x (…, C) with gate and up weights (Hd, C) and down weight (C, Hd), PyTorch layout, no biases → (…, C). */
export function swiglu(x: tf.Tensor, gateWeight: tf.Tensor, upWeight: tf.Tensor, downWeight: tf.Tensor): tf.Tensor {
  return tf.tidy(() => linear(silu(linear(x, gateWeight)).mul(linear(x, upWeight)), downWeight));
}

/** Add a SwiGLU's parameters under `prefix` (names in the file comment): weights N(0, std²), the down projection N(0, residualStd²). */
export function initSwiGLU(
  params: Params,
  prefix: string,
  C: number,
  std: number,
  residualStd: number,
  bias: boolean,
  rng: Rng,
): void {
  const hidden = swigluHiddenWidth(C);
  addLinear(params, `${prefix}.c_gate`, C, hidden, std, bias, rng);
  addLinear(params, `${prefix}.c_fc`, C, hidden, std, bias, rng);
  addLinear(params, `${prefix}.c_proj`, hidden, C, residualStd, bias, rng);
}

/** The SwiGLU feed-forward network under `prefix` on x (B, T, C) → (B, T, C). */
export function swigluFeedForward(params: Params, prefix: string, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const lin = (name: string, h: tf.Tensor) =>
      linear(h, param(params, `${prefix}.${name}.weight`), maybeParam(params, `${prefix}.${name}.bias`));
    const gated = silu(lin('c_gate', x)).mul(lin('c_fc', x)); // (B, T, Hd)
    return lin('c_proj', gated); // (B, T, C)
  });
}
