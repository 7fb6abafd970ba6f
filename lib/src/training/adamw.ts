/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as in PyTorch's torch.optim.AdamW.
 *   p ← p · (1 − lr·wd)                                  (decay, not part of the gradient)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
 * Which parameters decay: by default those of rank ≥ 2 (matmul weights and embedding tables, as nanoGPT does);
 * biases and LayerNorm gains (rank 1) do not, since shrinking them toward 0 only fights the normalisation.
 * `adamwUpdateReference` is this formula as TF.js ops; on wasm and cpu one fused kernel per parameter does the same
 * (accel/src/kernels/adamw.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ops, type AdamWUpdate } from '../ops';
import type { NamedTensors, Params } from '../model/params';

/** AdamW hyper-parameters. */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Decides which parameters decay; default: rank ≥ 2. */
  decays?: (name: string, param: tf.Variable) => boolean;
}

/** AdamW state: first and second moments per parameter name, and the step count t. */
export interface AdamWState {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  step: number;
  m: Record<string, tf.Variable>;
  v: Record<string, tf.Variable>;
  /** Names that receive weight decay. */
  decayed: string[];
}

/** Default decay rule: matrices and embedding tables decay, vectors (biases, norm gains) do not. */
export function decaysByRank(_name: string, param: tf.Variable): boolean {
  return param.rank >= 2;
}

/** Fresh AdamW state with zero moments shaped like each parameter. */
export function createAdamW(params: Params, options: AdamWOptions = {}): AdamWState {
  const o = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, ...options };
  for (const b of ['beta1', 'beta2'] as const) {
    if (!(o[b] >= 0 && o[b] < 1)) throw new Error(`AdamW ${b} must be in [0, 1), got ${o[b]}`);
  }
  if (!(o.eps > 0)) throw new Error(`AdamW eps must be positive, got ${o.eps}`);
  if (!(o.weightDecay >= 0)) throw new Error(`AdamW weight decay must be >= 0, got ${o.weightDecay}`);
  const decays = options.decays ?? decaysByRank;
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  for (const [name, p] of Object.entries(params)) {
    // tidy disposes the zeros each variable was made from (a variable keeps only its own copy).
    m[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false, `adamw.m.${name}.${uniqueSuffix()}`));
    v[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false, `adamw.v.${name}.${uniqueSuffix()}`));
  }
  const decayed = Object.keys(params).filter((n) => decays(n, params[n]));
  return { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, step: 0, m, v, decayed };
}

let counter = 0;
// TF.js variable names are global; two optimizers for the same model must not collide.
function uniqueSuffix(): string {
  counter += 1;
  return String(counter);
}

/** Options of one AdamW step. */
export interface AdamWStepOptions {
  /**
   * A factor () every gradient is multiplied by before the update: the clip factor from `clipScale`, so clipping
   * needs no scaled copy of every gradient. Default 1.
   */
  gradScale?: tf.Scalar;
}

/**
 * One parameter's AdamW update as TF.js ops: the formula above, step by step → the new [p, m, v].
 * The reference the fused kernel is held to, and what runs where there is none. scale () multiplies g first.
 */
export function adamwUpdateReference(
  p: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  grad: tf.Tensor,
  scale: tf.Scalar | undefined,
  h: AdamWUpdate,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const g = scale ? grad.mul(scale) : grad;
    const m2 = m.mul(h.beta1).add(g.mul(1 - h.beta1));
    const v2 = v.mul(h.beta2).add(g.square().mul(1 - h.beta2));
    const base = h.weightDecay > 0 ? p.mul(1 - h.lr * h.weightDecay) : p;
    const denom = v2.div(h.bc2).sqrt().add(h.eps);
    return [base.sub(m2.div(denom).mul(h.lr / h.bc1)), m2, v2];
  });
}

/** One AdamW update of params from grads {name: same shape}; names without a gradient (frozen) are left alone. */
export function adamwStep(
  state: AdamWState,
  params: Params,
  grads: NamedTensors,
  lr: number,
  options: AdamWStepOptions = {},
): void {
  if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`learning rate must be a finite number >= 0, got ${lr}`);
  const { gradScale } = options;
  if (gradScale && gradScale.rank !== 0)
    throw new Error(`gradScale must be a scalar (), got shape [${gradScale.shape}]`);
  state.step += 1;
  const t = state.step;
  const bc1 = 1 - state.beta1 ** t;
  const bc2 = 1 - state.beta2 ** t;
  const decayed = new Set(state.decayed);
  tf.tidy(() => {
    // The kernel always takes a scale: 1 when not clipping, one scalar for the whole step (data, not a kernel call).
    const scale = gradScale ?? tf.scalar(1);
    for (const [name, g] of Object.entries(grads)) {
      const p = params[name];
      const m = state.m[name];
      const v = state.v[name];
      if (!p || !m || !v)
        throw new Error(
          `gradient for "${name}" has no parameter or optimizer state; was the optimizer created for these params?`,
        );
      const h: AdamWUpdate = {
        lr,
        beta1: state.beta1,
        beta2: state.beta2,
        eps: state.eps,
        weightDecay: decayed.has(name) ? state.weightDecay : 0,
        bc1,
        bc2,
      };
      const [p2, m2, v2] = ops.adamW(p, m, v, g, scale, h) ?? adamwUpdateReference(p, m, v, g, gradScale, h);
      // The variables take over the new tensors' data; tidy frees the handles.
      p.assign(p2);
      m.assign(m2);
      v.assign(v2);
    }
  });
}

/** Free the optimizer's moment variables. */
export function disposeAdamW(state: AdamWState): void {
  for (const t of [...Object.values(state.m), ...Object.values(state.v)]) t.dispose();
}
