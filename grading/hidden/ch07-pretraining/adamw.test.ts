// Chapter 7, hidden: adamwStep against the library's AdamW on seeded random parameter sets and hyper-parameters.
import { describe, expect, it } from 'vitest';
import { adamwStep } from '@exercises/ch07-pretraining/adamw';
import { adamwStep as libraryStep, createAdamW, Rng, tf, type NamedTensors, type Params } from '@how-llms-work/lib';
import { maxDiff, randn } from '../../../test/exercises/helpers';

const SHAPES = [[5], [3, 4], [2, 3, 2], [7], [6, 2]];

function twin(seed: number): [Params, Params] {
  const make = () => Object.fromEntries(SHAPES.map((s, i) => [`p${i}`, tf.variable(randn(s, seed + i))])) as Params;
  return [make(), make()];
}

describe('ch07 adamwStep', () => {
  it('equals the library over 12 steps on 4 seeded hyper-parameter sets (ranks 1 to 3, changing lr)', () => {
    for (let k = 0; k < 4; k++) {
      const rng = new Rng(70 + k);
      const options = {
        beta1: 0.8 + 0.15 * rng.next(),
        beta2: 0.9 + 0.099 * rng.next(),
        eps: 10 ** -(4 + rng.int(5)),
        weightDecay: rng.next(),
      };
      const [mine, lib] = twin(100 * k);
      const [s1, s2] = [createAdamW(mine, options), createAdamW(lib, options)];
      for (let step = 0; step < 12; step++) {
        const grads: NamedTensors = Object.fromEntries(
          SHAPES.map((s, i) => [`p${i}`, randn(s, 1000 * k + 10 * step + i, 10 ** (rng.int(5) - 2))]),
        );
        const lr = 0.001 + 0.05 * rng.next();
        adamwStep(s1, mine, grads, lr);
        libraryStep(s2, lib, grads, lr);
        tf.dispose(Object.values(grads));
      }
      for (const name of Object.keys(mine)) {
        expect(maxDiff(mine[name], lib[name]), `${name} with ${JSON.stringify(options)}`).toBeLessThan(2e-5);
        const vScale = tf.tidy(() => s2.v[name].abs().max().dataSync()[0]);
        expect(maxDiff(s1.v[name], s2.v[name]) / vScale, `v of ${name} (relative)`).toBeLessThan(1e-5);
      }
      expect(s1.step).toBe(12);
    }
  });

  it('applies bias correction: the first step moves every entry by about lr, whatever the gradient scale', () => {
    for (const scale of [1e-4, 1, 1e3]) {
      const params = { w: tf.variable(tf.zeros([4])) };
      const g = randn([4], 71, scale);
      adamwStep(createAdamW(params, { eps: 1e-12 }), params, { w: g }, 0.01);
      const moved = Array.from(params.w.dataSync()).map(Math.abs);
      for (const m of moved) expect(m).toBeCloseTo(0.01, 4);
    }
  });

  it('decouples the decay from the gradient: decay shrinks by lr·λ whatever Adam does, only for rank ≥ 2', () => {
    const params = {
      m: tf.variable(tf.fill([2, 2], 3)),
      t: tf.variable(tf.fill([1, 2, 2], 3)),
      b: tf.variable(tf.fill([4], 3)),
    };
    const zero = { m: tf.zeros([2, 2]), t: tf.zeros([1, 2, 2]), b: tf.zeros([4]) };
    const state = createAdamW(params, { weightDecay: 0.2 });
    for (let i = 0; i < 3; i++) adamwStep(state, params, zero, 0.5);
    expect(params.m.dataSync()[0]).toBeCloseTo(3 * 0.9 ** 3, 5);
    expect(params.t.dataSync()[0]).toBeCloseTo(3 * 0.9 ** 3, 5);
    expect(params.b.dataSync()[0]).toBe(3);
  });

  it('keeps the tensor count flat over 10 steps', () => {
    const [params] = twin(72);
    const state = createAdamW(params);
    const grads: NamedTensors = Object.fromEntries(SHAPES.map((s, i) => [`p${i}`, randn(s, 73 + i)]));
    adamwStep(state, params, grads, 0.01);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) adamwStep(state, params, grads, 0.01);
    expect(tf.memory().numTensors).toBe(before);
  });
});
