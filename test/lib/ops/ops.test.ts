// The ops interface: ready() registers the accelerator's versions; the model's functions run them through `ops`,
// and with nothing registered the reference formulas run and give the same numbers.
import { describe, expect, it } from 'vitest';
import { OP_NAMES, ops, registeredOps, withReferenceOps } from '@how-llms-work/lib/ops';
import { crossEntropy, gelu, layerNorm, linear, Rng, tf, withSettings } from '@how-llms-work/lib';

function random(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

async function kernelsOf(f: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  return (await tf.profile(() => f())).kernels.map((k) => k.name);
}

describe(`ops on ${process.env.HOW_LLMS_BACKEND}`, () => {
  it('ready() registered a faster version of every entry', () => {
    expect(registeredOps()).toEqual([...OP_NAMES]);
  });

  it('the model calls them through ops; with only the references the same numbers come out of the composed ops', async () => {
    const x = random([2, 3, 8], 1);
    const w = random([5, 8], 2);
    const b = random([5], 3);
    const gamma = random([8], 4);
    const logits = random([6, 5], 5);
    const targets = tf.tensor1d([0, 4, 2, 1, 3, 3], 'int32');
    const cases: [string, () => tf.Tensor][] = [
      ['gelu', () => gelu(x)],
      ['layerNorm', () => layerNorm(x, gamma)],
      ['linear', () => linear(x, w, b)],
      ['crossEntropy', () => crossEntropy(logits, targets)],
    ];
    for (const [name, f] of cases) {
      const fast = await kernelsOf(f);
      const reference = await kernelsOf(() => withReferenceOps(f));
      if (name !== 'linear')
        expect(
          fast.some((k) => k.startsWith('HowLlms')),
          `${name} runs a fused kernel`,
        ).toBe(true);
      expect(
        reference.some((k) => k.startsWith('HowLlms')),
        `${name} with only the references`,
      ).toBe(false);
      const got = tf.tidy(() => Array.from(f().dataSync()));
      const want = tf.tidy(() => Array.from(withReferenceOps(f).dataSync()));
      got.forEach((g, i) => expect(g, `${name}[${i}]`).toBeCloseTo(want[i], 5));
    }
    expect(registeredOps()).toEqual([...OP_NAMES]); // put back after withReferenceOps
    tf.dispose([x, w, b, gamma, logits, targets]);
  });

  it('an entry declines where its kernel does not run (HOW_LLMS_FUSED=0), and the reference runs', () => {
    const x = random([4, 8], 6);
    withSettings({ fused: false }, () => {
      expect(ops.gelu(x)).toBeUndefined();
      tf.tidy(() => {
        expect(gelu(x).shape).toEqual([4, 8]);
      });
    });
    tf.tidy(() => {
      expect(ops.gelu(x)).toBeDefined();
    });
    x.dispose();
  });
});
