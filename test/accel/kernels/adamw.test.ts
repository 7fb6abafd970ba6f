// The fused AdamW kernel agrees with the update composed of TF.js ops, step after step, and is what adamwStep runs.
import { describe, expect, it } from 'vitest';
import { withSettings } from '@how-llms-work/accel';
import {
  adamwStep,
  adamwUpdateReference,
  clipByGlobalNorm,
  clipScale,
  createAdamW,
  disposeAdamW,
  tf,
  type AdamWState,
  type NamedTensors,
  type Params,
} from '@how-llms-work/lib';
import { fusedAdamW, type AdamWKernelAttrs } from '../../../accel/src/kernels/adamw';
import { expectClose, randomTensor } from './compare';

/** Run f with the fused kernels switched off (HOW_LLMS_FUSED=0), then restore the switch. */
function unfused<T>(f: () => T): T {
  return withSettings({ fused: false }, f);
}

/** A small model's worth of parameters: a matrix and a table (decay), a bias and a gain (no decay), seeded. */
function makeParams(seed: number): Params {
  return {
    'w.weight': tf.variable(randomTensor([6, 5], seed)),
    'emb.weight': tf.variable(randomTensor([4, 3], seed + 1)),
    'w.bias': tf.variable(randomTensor([5], seed + 2)),
    'ln.weight': tf.variable(randomTensor([3], seed + 3)),
  };
}

/** Gradients for every name but the frozen ones, seeded by step; large enough that clipping to 1 bites. */
function makeGrads(params: Params, step: number, frozen: string[] = []): NamedTensors {
  const grads: NamedTensors = {};
  Object.entries(params).forEach(([name, p], i) => {
    if (!frozen.includes(name)) grads[name] = randomTensor(p.shape, 100 * step + i, 0.7);
  });
  return grads;
}

function values(named: Record<string, tf.Tensor>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(named).map(([n, t]) => [n, t.dataSync() as Float32Array]));
}

function expectSameState(
  got: { params: Params; opt: AdamWState },
  want: { params: Params; opt: AdamWState },
  tol: number,
): void {
  for (const [what, g, w] of [
    ['param', got.params, want.params],
    ['m', got.opt.m, want.opt.m],
    ['v', got.opt.v, want.opt.v],
  ] as const) {
    const gv = values(g);
    const wv = values(w);
    for (const name of Object.keys(wv)) expectClose(gv[name], wv[name], tol, `${what} ${name}`);
  }
}

describe(`fused AdamW on ${process.env.HOW_LLMS_BACKEND}`, () => {
  const attrs: AdamWKernelAttrs = {
    lr: 3e-2,
    beta1: 0.9,
    beta2: 0.95,
    eps: 1e-8,
    weightDecay: 0.1,
    bc1: 1 - 0.9 ** 3,
    bc2: 1 - 0.95 ** 3,
  };

  it('one update matches the reference, with and without weight decay and clip scale', () => {
    tf.tidy(() => {
      const p = randomTensor([7, 33], 1);
      const m = randomTensor([7, 33], 2, 0.1);
      const v = randomTensor([7, 33], 3, 0.1).square();
      const g = randomTensor([7, 33], 4);
      for (const weightDecay of [0, 0.1]) {
        for (const s of [1, 0.25]) {
          const h = { ...attrs, weightDecay };
          const got = fusedAdamW(p, m, v, g, tf.scalar(s), h);
          expect(got, `a fused kernel runs on ${tf.getBackend()}`).toBeDefined();
          const want = adamwUpdateReference(p, m, v, g, s === 1 ? undefined : tf.scalar(s), h);
          ['param', 'm', 'v'].forEach((what, i) => {
            expectClose(
              got![i].dataSync() as Float32Array,
              want[i].dataSync() as Float32Array,
              2e-6,
              `${what} (wd ${weightDecay}, scale ${s})`,
            );
          });
        }
      }
    });
  });

  it('refuses a gradient shaped unlike its parameter (the kernel would read past it)', () => {
    tf.tidy(() => {
      const p = tf.zeros([2, 3]);
      expect(() => fusedAdamW(p, p, p, tf.zeros([3, 2]), tf.scalar(1), attrs)).toThrow(
        /gradient shape \[3,2\] does not match the parameter's \[2,3\]/,
      );
    });
  });

  it('adamwStep fused equals adamwStep unfused over several steps: decay, clip scale < 1, a frozen parameter', () => {
    const run = (fused: boolean) => {
      const params = makeParams(10);
      const opt = createAdamW(params, { beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
      const frozenBefore = params['emb.weight'].dataSync().slice();
      for (let step = 1; step <= 6; step++) {
        const grads = makeGrads(params, step, ['emb.weight']);
        const go = () => {
          if (step % 2 === 0) {
            // Clipping as a factor into the optimizer; the factor is < 1 with these gradients.
            const { scale, norm } = clipScale(grads, 1);
            expect(scale.dataSync()[0]).toBeLessThan(1);
            adamwStep(opt, params, grads, 0.02, { gradScale: scale });
            tf.dispose([scale, norm]);
          } else adamwStep(opt, params, grads, 0.02 / step);
        };
        if (fused) go();
        else unfused(go);
        tf.dispose(Object.values(grads));
      }
      // Frozen: no gradient, so neither the parameter nor its moments moved.
      expect(Array.from(params['emb.weight'].dataSync())).toEqual(Array.from(frozenBefore));
      expect(Array.from(opt.m['emb.weight'].dataSync()).every((x) => x === 0)).toBe(true);
      expect(Array.from(opt.v['emb.weight'].dataSync()).every((x) => x === 0)).toBe(true);
      return { params, opt };
    };
    const fused = run(true);
    const reference = run(false);
    expect(fused.opt.step).toBe(6);
    expectSameState(fused, reference, 1e-5);
    for (const r of [fused, reference]) {
      disposeAdamW(r.opt);
      tf.dispose(Object.values(r.params));
    }
  });

  it('a clip factor passed to AdamW gives the same step as clipped copies of the gradients', () => {
    const a = { params: makeParams(20), opt: undefined as unknown as AdamWState };
    const b = { params: makeParams(20), opt: undefined as unknown as AdamWState };
    a.opt = createAdamW(a.params);
    b.opt = createAdamW(b.params);
    for (let step = 1; step <= 3; step++) {
      const grads = makeGrads(a.params, step);
      const { grads: clipped, norm } = clipByGlobalNorm(grads, 0.5);
      adamwStep(a.opt, a.params, clipped, 1e-2);
      const { scale, norm: norm2 } = clipScale(grads, 0.5);
      adamwStep(b.opt, b.params, grads, 1e-2, { gradScale: scale });
      expect(norm2.dataSync()[0]).toBe(norm.dataSync()[0]);
      tf.dispose([norm, norm2, scale, ...Object.values(grads), ...Object.values(clipped)]);
    }
    expectSameState(b, a, 1e-6);
    for (const r of [a, b]) {
      disposeAdamW(r.opt);
      tf.dispose(Object.values(r.params));
    }
  });

  it('bias-corrects the first step: m̂ = g and v̂ = g², so each weight moves by lr·g/(|g| + ε), after decay', () => {
    const params = makeParams(30);
    const p0 = values(params);
    const opt = createAdamW(params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 });
    const grads = makeGrads(params, 1);
    const gv = values(grads);
    const lr = 0.01;
    adamwStep(opt, params, grads, lr);
    for (const [name, p1] of Object.entries(values(params))) {
      const wd = opt.decayed.includes(name) ? 0.5 : 0;
      const want = Float32Array.from(
        p0[name],
        (x, j) => x * (1 - lr * wd) - (lr * gv[name][j]) / (Math.abs(gv[name][j]) + 1e-8),
      );
      expectClose(p1, want, 2e-6, `first step of ${name}`);
    }
    expect(opt.decayed.sort()).toEqual(['emb.weight', 'w.weight']);
    disposeAdamW(opt);
    tf.dispose([...Object.values(params), ...Object.values(grads)]);
  });

  it('keeps the number of tensors flat over a training loop, fused and unfused', () => {
    const params = makeParams(40);
    const opt = createAdamW(params);
    const loop = () => {
      for (let step = 1; step <= 4; step++) {
        const grads = makeGrads(params, step, ['ln.weight']);
        const { scale, norm } = clipScale(grads, 1);
        adamwStep(opt, params, grads, 1e-2, { gradScale: scale });
        const { grads: clipped, norm: norm2 } = clipByGlobalNorm(grads, 1);
        adamwStep(opt, params, clipped, 1e-2);
        adamwStep(opt, params, grads, 1e-2);
        tf.dispose([scale, norm, norm2, ...Object.values(grads), ...Object.values(clipped)]);
      }
    };
    loop(); // anything made once (kernel setup) is made now
    const before = tf.memory().numTensors;
    loop();
    expect(tf.memory().numTensors).toBe(before);
    unfused(loop);
    expect(tf.memory().numTensors).toBe(before);
    disposeAdamW(opt);
    tf.dispose(Object.values(params));
  });

  it('runs one kernel per parameter, and the composed ops with HOW_LLMS_FUSED=0', async () => {
    const params = makeParams(50);
    const opt = createAdamW(params);
    const grads = makeGrads(params, 1, ['w.bias']);
    const kernelsOf = async (f: () => void) => (await tf.profile(f)).kernels.map((k) => k.name);
    const fused = await kernelsOf(() => adamwStep(opt, params, grads, 1e-2));
    expect(fused).toEqual(['HowLlmsAdamW', 'HowLlmsAdamW', 'HowLlmsAdamW']);
    await withSettings({ fused: false }, async () => {
      const composed = await kernelsOf(() => adamwStep(opt, params, grads, 1e-2));
      expect(composed.some((n) => n.startsWith('HowLlms'))).toBe(false);
      expect(composed.filter((n) => n === 'Sqrt')).toHaveLength(3);
    });
    disposeAdamW(opt);
    tf.dispose([...Object.values(params), ...Object.values(grads)]);
  });
});
