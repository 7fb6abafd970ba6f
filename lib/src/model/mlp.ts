/**
 * The feed-forward network of a block: widen to 4C, GELU, project back to C, independently at every position.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';
import { linear } from './linear';
import { maybeParam, param } from './init';
import { ops } from '../ops';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU with GPT-2's tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))), elementwise on any shape. */
export function gelu(x: tf.Tensor): tf.Tensor {
  // A faster version where one is registered (one fused kernel), else the formula below.
  return ops.gelu(x) ?? geluReference(x);
}

/** GELU composed of TF.js ops, exactly the formula above: the reference `ops.gelu` is tested against. */
export function geluReference(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(0.5).mul(tf.tanh(inner).add(1));
  });
}

/** Feed-forward `prefix.c_fc` (4C, C) then `prefix.c_proj` (C, 4C) on x (B, T, C) → (B, T, C). */
export function feedForward(params: Params, prefix: string, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const h = gelu(linear(x, param(params, `${prefix}.c_fc.weight`), maybeParam(params, `${prefix}.c_fc.bias`))); // (B, T, 4C)
    return linear(h, param(params, `${prefix}.c_proj.weight`), maybeParam(params, `${prefix}.c_proj.bias`)); // (B, T, C)
  });
}
