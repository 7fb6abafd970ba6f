import { tf, type AdamWState, type NamedTensors, type Params } from '@how-llms-work/lib';

/**
 * One AdamW step (Loshchilov & Hutter; PyTorch's torch.optim.AdamW), updating `params` in place from `grads`.
 * `state` comes from the library's `createAdamW(params, { beta1, beta2, eps, weightDecay })`: read the
 * hyper-parameters from it, keep the step count in `state.step` and the moments in the variables `state.m[name]`
 * and `state.v[name]` (zeros at first, shaped like the parameter). For each name in `grads` (a parameter without
 * a gradient is left alone), with t = state.step + 1 (store it back) and g its gradient:
 *   p ← p · (1 − lr · weightDecay)          decoupled decay, only for parameters of rank ≥ 2 (matrices, embedding
 *                                             tables), never for rank-1 ones (biases, layer-norm gains)
 *   m ← β1 · m + (1 − β1) · g               v ← β2 · v + (1 − β2) · g²
 *   m̂ = m / (1 − β1ᵗ)                       v̂ = v / (1 − β2ᵗ)           (bias correction: m and v start at 0)
 *   p ← p − lr · m̂ / (√v̂ + eps)
 * Update variables with `.assign(...)`, and leave no intermediate tensor behind (tf.tidy).
 *
 * Example: a scalar-like parameter p = [1] (rank 1: no decay) with gradient [0.5], lr 0.1, at the first step:
 *   m = (1 − β1) · 0.5 and v = (1 − β2) · 0.25, so m̂ = 0.5, v̂ = 0.25 and p ← 1 − 0.1 · 0.5 / (0.5 + eps) ≈ 0.9.
 *   The first step moves every parameter by about lr, whatever the size of its gradient.
 */
export function adamwStep(state: AdamWState, params: Params, grads: NamedTensors, lr: number): void {
  throw new Error('TODO: implement adamwStep (see the chapter 07 notebook, section AdamW, warm-up and cosine)');
}
