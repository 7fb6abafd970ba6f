import { describe, expect, it } from 'vitest';
import {
  LossScaler,
  createAdamW,
  disposeAdamW,
  disposeNamed,
  gptShardLoss,
  initGPT,
  lossAndGrads,
  adamwStep,
  mixedPrecisionStep,
  precisionCast,
  residualGradient,
  formatDamage,
  tf,
  type GPTConfig,
  type NamedTensors,
} from '@how-llms-work/lib';

const config: GPTConfig = { vocabSize: 13, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };
const batch = (): NamedTensors => ({
  x: tf.randomUniform([8, 16], 0, 13, 'int32', 1),
  y: tf.randomUniform([8, 16], 0, 13, 'int32', 2),
});

describe('precision cast', () => {
  it('rounds the value on the way forward and the gradient on the way back', () => {
    const x = tf.tensor1d([0.1, 1 / 3]);
    expect(Array.from(precisionCast(x, 'fp16').dataSync())).toEqual([
      Math.fround(0.0999755859375),
      Math.fround(0.333251953125),
    ]);
    const g = tf.grad((v: tf.Tensor) =>
      precisionCast(v, 'fp16')
        .mul(tf.tensor1d([1e-8, 1e-3]))
        .sum(),
    )(x);
    expect(g.dataSync()[0]).toBe(0); // 1e-8 underflows in fp16
    expect(g.dataSync()[1]).toBeCloseTo(1e-3, 6);
    const gb = tf.grad((v: tf.Tensor) =>
      precisionCast(v, 'bf16')
        .mul(tf.tensor1d([1e-8, 1e-3]))
        .sum(),
    )(x);
    expect(gb.dataSync()[0]).toBeGreaterThan(0); // bf16 keeps fp32's range
    tf.dispose([x, g, gb]);
  });
});

describe('dynamic loss scaling', () => {
  it('halves on overflow, skips the step, and grows after a run of good steps', () => {
    const s = new LossScaler({ initial: 1024, growthInterval: 3 });
    expect(s.update(false)).toBe(false);
    expect(s.scale).toBe(512);
    expect(s.skipped).toBe(1);
    s.update(true);
    s.update(true);
    expect(s.scale).toBe(512);
    expect(s.update(true)).toBe(true);
    expect(s.scale).toBe(1024);
    expect(() => new LossScaler({ initial: 0 })).toThrow(/initial loss scale must be positive, got 0/);
  });
});

describe('simulated mixed-precision step', () => {
  it('in fp32 is exactly an ordinary AdamW step', () => {
    const a = initGPT(config, 4);
    const b = initGPT(config, 4);
    const data = batch();
    const optA = createAdamW(a);
    const optB = createAdamW(b);
    const r = mixedPrecisionStep(a, config, data, { format: 'fp32', optimizer: optA, lr: 1e-2 });
    const { loss, grads } = lossAndGrads(() => gptShardLoss(b, data, config), b);
    adamwStep(optB, b, grads, 1e-2);
    expect(r.loss).toBeCloseTo(loss.dataSync()[0], 5);
    expect(r.zeroedFraction).toBe(0);
    for (const n of Object.keys(a)) {
      const x = a[n].dataSync();
      const y = b[n].dataSync();
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-6);
    }
    tf.dispose([loss, grads, data]);
    [optA, optB].forEach(disposeAdamW);
    [a, b].forEach(disposeNamed);
  });

  it('loses gradients to fp16 underflow that a loss scale recovers', () => {
    const params = initGPT(config, 5);
    const data = batch();
    const opt = createAdamW(params);
    const tiny = mixedPrecisionStep(params, config, data, {
      format: 'fp16',
      optimizer: opt,
      lr: 0,
      scaler: new LossScaler({ initial: 2 ** -8 }),
    });
    const scaled = mixedPrecisionStep(params, config, data, {
      format: 'fp16',
      optimizer: opt,
      lr: 0,
      scaler: new LossScaler({ initial: 2 ** 10 }),
    });
    const bf16 = mixedPrecisionStep(params, config, data, {
      format: 'bf16',
      optimizer: opt,
      lr: 0,
      scaler: new LossScaler({ initial: 2 ** -8 }),
    });
    expect(tiny.zeroedFraction).toBeGreaterThan(0.05);
    expect(scaled.zeroedFraction).toBeLessThan(tiny.zeroedFraction / 5);
    expect(bf16.zeroedFraction).toBe(0);
    tf.dispose(data);
    disposeAdamW(opt);
    disposeNamed(params);
  });

  it('skips the step and backs off when the scaled gradients overflow fp16', () => {
    const params = initGPT(config, 6);
    const data = batch();
    const opt = createAdamW(params);
    const before = params['transformer.wte.weight'].dataSync().slice();
    const scaler = new LossScaler({ initial: 2 ** 40 });
    const r = mixedPrecisionStep(params, config, data, { format: 'fp16', optimizer: opt, lr: 1e-2, scaler });
    expect(r.applied).toBe(false);
    expect(scaler.scale).toBe(2 ** 39);
    expect(Array.from(params['transformer.wte.weight'].dataSync())).toEqual(Array.from(before));
    expect(Number.isFinite(r.loss)).toBe(true);
    tf.dispose(data);
    disposeAdamW(opt);
    disposeNamed(params);
  });

  it('keeps the tensor count flat over training steps', () => {
    const params = initGPT(config, 7);
    const data = batch();
    const opt = createAdamW(params);
    const scaler = new LossScaler({ initial: 2 ** 8 });
    mixedPrecisionStep(params, config, data, { format: 'fp16', optimizer: opt, lr: 1e-3, scaler });
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 5; i++)
      losses.push(mixedPrecisionStep(params, config, data, { format: 'fp16', optimizer: opt, lr: 1e-2, scaler }).loss);
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[4]).toBeLessThan(losses[0]); // it trains
    tf.dispose(data);
    disposeAdamW(opt);
    disposeNamed(params);
  });

  it('measures the activation gradients fp16 would have to hold', () => {
    const params = initGPT(config, 8);
    const data = batch();
    const g = residualGradient(params, config, data);
    expect(g.length).toBe(8 * 16 * 16);
    expect(g.some((v) => v !== 0)).toBe(true);
    const small = formatDamage(
      g.map((v) => v * 2 ** -12),
      'fp16',
    );
    expect(small.underflowFraction).toBeGreaterThan(formatDamage(g, 'fp16').underflowFraction);
    tf.dispose(data);
    disposeNamed(params);
  });
});
