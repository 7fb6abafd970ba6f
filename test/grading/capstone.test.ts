// The capstone trains the learner's own GPT: the solutions pass with a margin; a stub, an AdamW without bias
// correction and an attention without its causal mask each fail. Every run is the real capstone (CAPSTONE's steps).
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf, type AdamWState, type NamedTensors, type Params } from '@how-llms-work/lib';
import { CAPSTONE, loadPieces, runCapstone, type CapstonePieces } from '../../grading/capstone';
import { causalSelfAttention } from '../../solutions/ch05-attention/self-attention';
import { gptForward } from '../../solutions/ch06-transformer/gpt-forward';
import { adamwStep } from '../../solutions/ch07-pretraining/adamw';
import { trainStep } from '../../solutions/ch07-pretraining/train-step';

const root = path.resolve(__dirname, '..', '..');
const solutions: CapstonePieces = { causalSelfAttention, gptForward, adamwStep, trainStep };

/** AdamW as a learner might write it, forgetting that m and v start at zero: no division by 1 − βᵗ. */
function adamwWithoutBiasCorrection(state: AdamWState, params: Params, grads: NamedTensors, lr: number): void {
  state.step += 1;
  tf.tidy(() => {
    for (const [name, g] of Object.entries(grads)) {
      const p = params[name];
      const m = state.m[name].mul(state.beta1).add(g.mul(1 - state.beta1));
      const v = state.v[name].mul(state.beta2).add(g.square().mul(1 - state.beta2));
      const decayed = p.rank >= 2 ? p.mul(1 - lr * state.weightDecay) : p;
      p.assign(decayed.sub(m.div(v.sqrt().add(state.eps)).mul(lr)));
      state.m[name].assign(m);
      state.v[name].assign(v);
    }
  });
}

/** Multi-head self-attention without the causal mask: position t also reads the tokens after it. */
function attentionWithoutMask(params: Params, prefix: string, x: tf.Tensor3D, nHead: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape;
    const D = C / nHead;
    const project = (h: tf.Tensor, name: string) =>
      tf
        .matMul(h.reshape([B * T, -1]), params[`${prefix}.${name}.weight`], false, true)
        .add(params[`${prefix}.${name}.bias`]);
    const toHeads = (t: tf.Tensor) => t.reshape([B, T, nHead, D]).transpose([0, 2, 1, 3]);
    const [q, k, v] = tf.split(project(x, 'c_attn'), 3, -1).map(toHeads);
    const weights = tf.softmax(tf.matMul(q, k, false, true).div(Math.sqrt(D)), -1);
    return project(tf.matMul(weights, v).transpose([0, 2, 1, 3]), 'c_proj').reshape([B, T, C]) as tf.Tensor3D;
  });
}

describe('capstone', () => {
  it('passes with the solutions, with a margin below the threshold, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const result = await runCapstone(solutions);
    expect(result.reason).toBeUndefined();
    expect(result.passed).toBe(true);
    expect(result.finalValLoss).toBeLessThan(CAPSTONE.threshold - 0.15);
    expect(result.curve[0].valLoss).toBeGreaterThan(4); // ≈ log 65 before training
    expect(result.trainLosses).toHaveLength(CAPSTONE.steps);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails when AdamW has no bias correction', async () => {
    const result = await runCapstone({ ...solutions, adamwStep: adamwWithoutBiasCorrection });
    expect(result.passed).toBe(false);
    expect(result.finalValLoss).toBeGreaterThan(CAPSTONE.threshold + 0.15);
  });

  it('fails when attention has no causal mask, and says so', async () => {
    const result = await runCapstone({ ...solutions, causalSelfAttention: attentionWithoutMask });
    expect(result.passed).toBe(false);
    expect(result.finalValLoss).toBeGreaterThan(CAPSTONE.threshold + 0.15);
    expect(result.reason).toMatch(/causal mask/);
  });

  it('fails on the untouched stubs, naming the TODO', async () => {
    const result = await runCapstone(await loadPieces(path.join(root, 'exercises')));
    expect(result.passed).toBe(false);
    expect(result.reason).toMatch(/TODO: implement/);
  });
});
