// Chapter 7: one AdamW step, against the library's optimizer over several steps.
import { describe, expect, it } from 'vitest';
import { adamwStep } from '@exercises/ch07-pretraining/adamw';
import { adamwStep as libraryStep, createAdamW, tf, type NamedTensors, type Params } from '@how-llms-work/lib';
import { maxDiff, randn } from '../helpers';

/** Two identical parameter sets: a matrix (decays) and a vector (does not). */
function twin(seed: number): [Params, Params] {
  const make = () => ({ 'w.weight': tf.variable(randn([3, 4], seed)), 'w.bias': tf.variable(randn([3], seed + 1)) });
  return [make(), make()];
}
const gradsAt = (step: number, seed: number): NamedTensors => ({
  'w.weight': randn([3, 4], seed + 10 * step, 0.5),
  'w.bias': randn([3], seed + 10 * step + 1, 0.5),
});

describe('ch07 adamwStep', () => {
  it('computes the worked example: the first step moves a rank-1 parameter by lr', () => {
    const params = { p: tf.variable(tf.tensor1d([1])) };
    adamwStep(createAdamW(params), params, { p: tf.tensor1d([0.5]) }, 0.1);
    expect(params.p.dataSync()[0]).toBeCloseTo(0.9, 5);
  });

  it("equals the library's AdamW over 5 steps (moments, bias correction, decay)", () => {
    const [mine, lib] = twin(1);
    const options = { beta1: 0.9, beta2: 0.99, weightDecay: 0.1 };
    const [s1, s2] = [createAdamW(mine, options), createAdamW(lib, options)];
    for (let step = 0; step < 5; step++) {
      adamwStep(s1, mine, gradsAt(step, 2), 0.01);
      libraryStep(s2, lib, gradsAt(step, 2), 0.01);
    }
    expect(s1.step).toBe(5);
    for (const name of Object.keys(mine)) {
      expect(maxDiff(mine[name], lib[name]), name).toBeLessThan(1e-6);
      expect(maxDiff(s1.m[name], s2.m[name]), `m of ${name}`).toBeLessThan(1e-6);
      expect(maxDiff(s1.v[name], s2.v[name]), `v of ${name}`).toBeLessThan(1e-6);
    }
  });

  it('decays matrices but not vectors: with zero gradients only the rank-2 parameter shrinks, by lr · weightDecay', () => {
    const [params] = twin(3);
    const before = { w: params['w.weight'].clone(), b: params['w.bias'].clone() };
    const zero = { 'w.weight': tf.zeros([3, 4]), 'w.bias': tf.zeros([3]) };
    adamwStep(createAdamW(params, { weightDecay: 0.5 }), params, zero, 0.1);
    expect(maxDiff(params['w.weight'], before.w.mul(1 - 0.1 * 0.5))).toBeLessThan(1e-6);
    expect(maxDiff(params['w.bias'], before.b)).toBe(0);
  });

  it('leaves parameters without a gradient alone, and no tensor behind', () => {
    const [params] = twin(4);
    const state = createAdamW(params);
    const bias = params['w.bias'].clone();
    const grads = { 'w.weight': randn([3, 4], 5) };
    adamwStep(state, params, grads, 0.01);
    expect(maxDiff(params['w.bias'], bias)).toBe(0);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) adamwStep(state, params, grads, 0.01);
    expect(tf.memory().numTensors).toBe(count);
  });
});
