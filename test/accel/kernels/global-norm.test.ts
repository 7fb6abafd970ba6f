// The fused global-norm kernel agrees with the norm and clip factor composed of TF.js ops, in one kernel call.
import { describe, expect, it } from 'vitest';
import { withSettings } from '@how-llms-work/accel';
import { clipByGlobalNorm, clipScale, clipScaleReference, globalNorm, tf, type NamedTensors } from '@how-llms-work/lib';
import { registerFusedKernel, runFused } from '../../../accel/src/fused';
import { fusedGlobalNorm } from '../../../accel/src/kernels/global-norm';
import { expectClose, randomTensor } from './compare';

async function withoutFused<T>(f: () => T | Promise<T>): Promise<T> {
  return withSettings({ fused: false }, async () => await f());
}

function someGrads(scale: number): NamedTensors {
  return {
    a: randomTensor([17, 9], 1, scale),
    b: randomTensor([9], 2, scale),
    c: randomTensor([3, 4, 5], 3, scale),
    d: randomTensor([1], 4, scale),
  };
}

describe(`fused global norm and clip on ${process.env.HOW_LLMS_BACKEND}`, () => {
  it('norm and clip factor match the reference, clipping or not, and ∞ means no clipping', () => {
    tf.tidy(() => {
      const gs = Object.values(someGrads(1)); // global norm ≈ 15
      for (const maxNorm of [1, 1e3, Infinity]) {
        const got = fusedGlobalNorm(gs, maxNorm);
        expect(got, `a fused kernel runs on ${tf.getBackend()}`).toBeDefined();
        const want = clipScaleReference(gs, maxNorm);
        expectClose(
          got!.norm.dataSync() as Float32Array,
          want.norm.dataSync() as Float32Array,
          1e-6,
          `norm (max ${maxNorm})`,
        );
        expectClose(
          got!.factor.dataSync() as Float32Array,
          want.scale.dataSync() as Float32Array,
          1e-6,
          `factor (max ${maxNorm})`,
        );
        expect(got!.norm.shape).toEqual([]);
        expect(got!.factor.shape).toEqual([]);
      }
      expect(fusedGlobalNorm(gs, Infinity)!.factor.dataSync()[0]).toBe(1);
      expect(clipScaleReference(gs, Infinity).scale.dataSync()[0]).toBe(1);
    });
  });

  it('clipByGlobalNorm, clipScale and globalNorm: the same numbers fused and unfused, with one fused kernel each', async () => {
    const grads = someGrads(1);
    const run = () =>
      tf.tidy(() => {
        const { grads: clipped, norm } = clipByGlobalNorm(grads, 2);
        const { scale } = clipScale(grads, 2);
        return {
          clipped: Object.values(clipped).map((t) => t.dataSync()),
          norm: norm.dataSync()[0],
          scale: scale.dataSync()[0],
          again: globalNorm(clipped).dataSync()[0],
        };
      });
    const fused = run();
    const reference = await withoutFused(run);
    expect(fused.norm).toBeCloseTo(reference.norm, 4);
    expect(fused.scale).toBeCloseTo(2 / fused.norm, 6);
    expect(fused.again).toBeCloseTo(2, 5);
    fused.clipped.forEach((t, i) =>
      expectClose(t as Float32Array, reference.clipped[i] as Float32Array, 1e-6, `clipped ${i}`),
    );
    const count = async (f: () => void) => (await tf.profile(() => tf.tidy(f))).kernels.map((k) => k.name);
    expect(await count(() => void clipByGlobalNorm(grads, 2))).toEqual([
      'HowLlmsGlobalNorm',
      'Multiply',
      'Multiply',
      'Multiply',
      'Multiply',
    ]);
    expect(await count(() => void clipScale(grads, 2))).toEqual(['HowLlmsGlobalNorm']);
    expect(await count(() => void globalNorm(grads))).toEqual(['HowLlmsGlobalNorm']);
    expect(
      (await withoutFused(() => count(() => void clipByGlobalNorm(grads, 2)))).some((n) => n.startsWith('HowLlms')),
    ).toBe(false);
    tf.dispose(Object.values(grads));
  });

  it('a variadic kernel gets its named inputs first, then the numbered ones in order, 12 of them and more', () => {
    // A test kernel: out = [offset, x0[0], x1[0], …] — it sees the order the inputs arrive in.
    registerFusedKernel({
      name: 'HowLlmsTestVariadicOrder',
      inputs: ['offset'],
      variadic: true,
      outputShapes: (shapes) => [[shapes.length]],
      compute: (ins, [out]) => ins.forEach((x, i) => (out[i] = x[0])),
    });
    tf.tidy(() => {
      const xs = Array.from({ length: 12 }, (_, i) => tf.tensor1d([i + 1, -1]));
      const inputs: Record<string, tf.Tensor> = { offset: tf.scalar(100) };
      xs.forEach((x, i) => (inputs[String(i)] = x));
      const [out] = runFused('HowLlmsTestVariadicOrder', inputs);
      expect(Array.from(out.dataSync())).toEqual([100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    });
  });

  it('clipping to ∞ leaves the gradients as they are (it used to make them NaN), fused and unfused', async () => {
    const grads = someGrads(1);
    const check = () =>
      tf.tidy(() => {
        const { grads: clipped } = clipByGlobalNorm(grads, Infinity);
        for (const name of Object.keys(grads))
          expect(Array.from(clipped[name].dataSync())).toEqual(Array.from(grads[name].dataSync()));
      });
    check();
    await withoutFused(check);
    tf.dispose(Object.values(grads));
  });

  it('leaves no tensors behind', () => {
    const grads = someGrads(3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
      const { scale, norm: n2 } = clipScale(grads, 1);
      tf.dispose([norm, scale, n2, globalNorm(grads), ...Object.values(clipped)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(grads));
  });
});
