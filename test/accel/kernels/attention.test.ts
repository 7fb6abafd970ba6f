// The fused attention kernels agree with attention composed of TF.js ops: values, gradients, the KV cache.
import { describe, expect, it } from 'vitest';
import { withSettings } from '@how-llms-work/accel';
import {
  applyRope,
  scaledDotProductAttention,
  scaledDotProductAttentionReference,
  tf,
  type AttentionOptions,
} from '@how-llms-work/lib';
import {
  fusedCachedAttention,
  fusedCausalSoftmax,
  fusedKVCacheWrite,
  fusedMergeHeads,
  fusedSplitHeads,
} from '../../../accel/src/kernels/attention';
import { nativeKernelCount, nativeKernelsStatus, setNativeKernels } from '../../../accel/src/fused';
import { expectClose, expectFusedMatchesReference, randomTensor } from './compare';

const output =
  (options: AttentionOptions, sdpa = scaledDotProductAttention) =>
  (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
    sdpa(q, k, v, options).output;
// The weights do not depend on v: their gradients are w.r.t. q and k.
const weights =
  (options: AttentionOptions, v: tf.Tensor, sdpa = scaledDotProductAttention) =>
  (q: tf.Tensor, k: tf.Tensor) =>
    sdpa(q, k, v, options).weights;

/** q (B, H, Tq, D), k and v (B, H, Tk, D), seeded. */
function qkv(B: number, H: number, Tq: number, Tk: number, D: number, scale = 1): tf.Tensor[] {
  return [randomTensor([B, H, Tq, D], 1, scale), randomTensor([B, H, Tk, D], 2, scale), randomTensor([B, H, Tk, D], 3)];
}

/** Run f with the fused kernels switched off (the references run). */
function withoutFused<T>(f: () => T): T {
  return withSettings({ fused: false }, f);
}

describe(`fused attention on ${process.env.HOW_LLMS_BACKEND}`, () => {
  // Shapes are [B, H, Tq, Tk, D].
  const cases: { name: string; shape: number[]; options: AttentionOptions; scale?: number }[] = [
    { name: 'causal self-attention (Tq = Tk)', shape: [2, 3, 7, 7, 8], options: { causal: true } },
    {
      name: 'causal, new queries after cached keys (Tq < Tk, offset Tk − Tq)',
      shape: [2, 2, 3, 9, 8],
      options: { causal: true },
    },
    {
      name: 'causal, queries in the middle of the keys (explicit offset, later keys unseen)',
      shape: [1, 2, 3, 9, 4],
      options: { causal: true, offset: 2 },
    },
    { name: 'one cached query (Tq = 1)', shape: [2, 2, 1, 6, 8], options: { causal: true } },
    { name: 'no mask (scale + softmax only)', shape: [2, 2, 4, 6, 8], options: {} },
    { name: 'large scores (softmax saturates)', shape: [1, 2, 5, 5, 16], options: { causal: true }, scale: 6 },
  ];

  for (const { name, shape, options, scale } of cases) {
    it(`${name}: output, weights and gradients w.r.t. q, k, v match the reference`, () => {
      const [B, H, Tq, Tk, D] = shape;
      const inputs = qkv(B, H, Tq, Tk, D, scale);
      expectFusedMatchesReference(output(options), output(options, scaledDotProductAttentionReference), inputs, 2e-6);
      const w = expectFusedMatchesReference(
        weights(options, inputs[2]),
        weights(options, inputs[2], scaledDotProductAttentionReference),
        inputs.slice(0, 2),
        2e-6,
      );
      // Masked weights are exactly 0, as an additive −1e9 makes them; every row sums to 1.
      const offset = options.offset ?? Tk - Tq;
      for (let row = 0; row < w.length / Tk; row++) {
        const i = row % Tq;
        let total = 0;
        for (let j = 0; j < Tk; j++) {
          total += w[row * Tk + j];
          if (options.causal && j > offset + i) expect(w[row * Tk + j]).toBe(0);
        }
        expect(total).toBeCloseTo(1, 5);
      }
      tf.dispose(inputs);
    });
  }

  it('is what scaledDotProductAttention runs, and a general mask still takes the reference', () => {
    const scores = randomTensor([1, 1, 3, 3], 4);
    expect(fusedCausalSoftmax(scores, 1, true)).toBeDefined();
    const [q, k, v] = qkv(1, 2, 4, 4, 8);
    const mask = tf.tensor4d([0, 0, -1e9, 0], [1, 1, 1, 4]); // padding: key 2 is masked
    const got = scaledDotProductAttention(q, k, v, { causal: true, mask });
    const want = scaledDotProductAttentionReference(q, k, v, { causal: true, mask });
    expectClose(
      got.weights.dataSync() as Float32Array,
      want.weights.dataSync() as Float32Array,
      0,
      'weights with a padding mask',
    );
    expect(() => scaledDotProductAttention(q, k, v, { causal: true, offset: 1 })).toThrow(
      /4 queries at offset 1 need at least 5 keys, got 4/,
    );
    tf.dispose([scores, q, k, v, mask, got.output, got.weights, want.output, want.weights]);
  });

  it('leaves no tensors behind, forward and backward', () => {
    const inputs = qkv(2, 2, 5, 5, 4);
    const step = () =>
      tf.tidy(() => {
        tf.grads(
          (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
            scaledDotProductAttention(q, k, v, { causal: true }).output.sum() as tf.Scalar,
        )(inputs);
      });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });
});

describe(`fused head split and merge on ${process.env.HOW_LLMS_BACKEND}`, () => {
  for (const P of [1, 2, 3] as const) {
    it(`${P} part(s): exactly reshape + transpose, and each is the other's gradient`, () => {
      const [B, T, H, D] = [2, 5, 3, 4];
      const C = H * D;
      const x = randomTensor([B * T, P * C], 7);
      const reference = (t: tf.Tensor) =>
        (P === 1 ? [t] : tf.split(t, P, -1)).map((part) => part.reshape([B, T, H, D]).transpose([0, 2, 1, 3]));
      tf.tidy(() => {
        const got = fusedSplitHeads(x, P, H, T)!;
        const want = reference(x);
        expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
        got.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(want[i].dataSync())));
        // Back: merging the parts gives x again, in either rank.
        expect(Array.from(fusedMergeHeads(got, 2)!.dataSync())).toEqual(Array.from(x.dataSync()));
        expect(fusedMergeHeads(got, 3)!.shape).toEqual([B, T, P * C]);
        // Gradients through split, weighted so every element counts, equal the reference's.
        const ws = want.map((_, i) => randomTensor(want[i].shape, 20 + i));
        const loss = (f: (t: tf.Tensor) => tf.Tensor[]) => (t: tf.Tensor) =>
          f(t)
            .map((part, i) => part.mul(ws[i]).sum())
            .reduce((a, b) => a.add(b)) as tf.Scalar;
        expect(
          Array.from(
            tf
              .grad(loss((t) => fusedSplitHeads(t, P, H, T)!))(x)
              .dataSync(),
          ),
        ).toEqual(Array.from(tf.grad(loss(reference))(x).dataSync()));
        // And through merge.
        const wm = randomTensor([B * T, P * C], 30);
        const mergeLoss =
          (f: (...parts: tf.Tensor[]) => tf.Tensor) =>
          (...parts: tf.Tensor[]) =>
            f(...parts)
              .mul(wm)
              .sum() as tf.Scalar;
        const mergeReference = (...parts: tf.Tensor[]) => {
          const rows = parts.map((p) => p.transpose([0, 2, 1, 3]).reshape([B * T, C]));
          return P === 1 ? rows[0] : tf.concat(rows, -1);
        };
        const gGot = tf.grads(mergeLoss((...parts) => fusedMergeHeads(parts, 2)!))(want);
        const gWant = tf.grads(mergeLoss(mergeReference))(want);
        gGot.forEach((g, i) => expect(Array.from(g.dataSync())).toEqual(Array.from(gWant[i].dataSync())));
      });
      x.dispose();
    });
  }
});

describe(`fused head split with the projection's bias on ${process.env.HOW_LLMS_BACKEND}`, () => {
  for (const P of [1, 2, 3] as const) {
    it(`${P} part(s): x + bias split into heads, values exact, gradients w.r.t. x and bias`, () => {
      const [B, T, H, D] = [2, 6, 2, 4];
      const x = randomTensor([B * T, P * H * D], 8);
      const bias = randomTensor([P * H * D], 9);
      // One output from the parts (weighted so every element counts), for the shared comparison.
      const ws = Array.from({ length: P }, (_, i) => randomTensor([B, H, T, D], 50 + i));
      const combine = (parts: tf.Tensor[]) => parts.map((part, i) => part.mul(ws[i])).reduce((a, b) => a.add(b));
      const reference = (t: tf.Tensor, b: tf.Tensor) => {
        const biased = t.add(b);
        return combine(
          (P === 1 ? [biased] : tf.split(biased, P, -1)).map((part) =>
            part.reshape([B, T, H, D]).transpose([0, 2, 1, 3]),
          ),
        );
      };
      const fused = (t: tf.Tensor, b: tf.Tensor) => {
        const parts = fusedSplitHeads(t, P, H, T, b);
        return parts && combine(parts);
      };
      expectFusedMatchesReference(fused, reference, [x, bias], 1e-6);
      tf.tidy(() => {
        const got = fusedSplitHeads(x, P, H, T, bias)!;
        const want = (P === 1 ? [x.add(bias)] : tf.split(x.add(bias), P, -1)).map((part) =>
          part.reshape([B, T, H, D]).transpose([0, 2, 1, 3]),
        );
        got.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(want[i].dataSync())));
      });
      tf.dispose([x, bias, ...ws]);
    });
  }
});

describe(`fused key/value cache on ${process.env.HOW_LLMS_BACKEND}`, () => {
  const [B, H, capacity, D] = [2, 3, 10, 4];
  const C = H * D;

  it('writes new keys and values into new buffers, returns the filled prefix, and leaves its inputs unchanged', () => {
    const kb0 = tf.zeros([B, H, capacity, D]);
    const vb0 = tf.zeros([B, H, capacity, D]);
    const first = [randomTensor([B, H, 3, D], 1), randomTensor([B, H, 3, D], 2)];
    const second = [randomTensor([B, H, 2, D], 3), randomTensor([B, H, 2, D], 4)];
    const [k1, v1, kb, vb] = fusedKVCacheWrite(kb0, vb0, first[0], first[1], 0)!;
    const clone = kb.clone(); // on wasm a clone shares its source's memory: it must not see the next write
    const [kAll, vAll, kb2, vb2] = fusedKVCacheWrite(kb, vb, second[0], second[1], 3)!;
    expect(kAll.shape).toEqual([B, H, 5, D]);
    const want = [tf.concat([first[0], second[0]], 2), tf.concat([first[1], second[1]], 2)];
    expect(Array.from(kAll.dataSync())).toEqual(Array.from(want[0].dataSync()));
    expect(Array.from(vAll.dataSync())).toEqual(Array.from(want[1].dataSync()));
    // The new buffer holds the 5 positions, the rest still 0; the buffers passed in are as they were.
    const held = kb2.slice([0, 0, 0, 0], [-1, -1, 5, -1]);
    expect(Array.from(held.dataSync())).toEqual(Array.from(want[0].dataSync()));
    expect(kb2.slice([0, 0, 5, 0], [-1, -1, -1, -1]).abs().sum().dataSync()[0]).toBe(0);
    expect(kb0.abs().sum().dataSync()[0]).toBe(0);
    expect(kb.slice([0, 0, 3, 0], [-1, -1, -1, -1]).abs().sum().dataSync()[0]).toBe(0);
    expect(Array.from(clone.dataSync())).toEqual(Array.from(kb.dataSync()));
    expect(() => fusedKVCacheWrite(kb, vb, first[0], first[1], 8)).toThrow(/exceed its capacity 10/);
    tf.dispose([kb0, vb0, k1, v1, kb, vb, kb2, vb2, clone, ...first, ...second, kAll, vAll, ...want, held]);
  });

  for (const [rope, withBias] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    it(`one cached decoding step${rope ? ' with RoPE' : ''}${withBias ? ', bias added' : ''} matches split + concat + attention + merge`, () => {
      const bias = withBias ? randomTensor([3 * C], 60) : undefined;
      let kb = tf.zeros([B, H, capacity, D]);
      let vb = tf.zeros([B, H, capacity, D]);
      let pastK = tf.zeros([B, H, 0, D]);
      let pastV = tf.zeros([B, H, 0, D]);
      for (let position = 0; position < 5; position++) {
        const packed = randomTensor([B, 3 * C], 40 + position);
        tf.tidy(() => {
          const [y, w, kNext, vNext] = fusedCachedAttention(packed, kb, vb, {
            nHead: H,
            position,
            ropePosition: rope ? position : undefined,
            weights: true,
            bias,
          })!;
          // The buffers passed in are unchanged: the step's key and value are only in the new ones.
          expect(kb.slice([0, 0, position, 0], [-1, -1, 1, -1]).abs().sum().dataSync()[0]).toBe(0);
          tf.dispose([kb, vb]);
          kb = tf.keep(kNext);
          vb = tf.keep(vNext);
          // Reference: add the bias, split into heads, rotate, append to the past, attend, merge.
          let [q, k, v] = tf
            .split(bias ? packed.add(bias) : packed, 3, -1)
            .map((t) => t.reshape([B, 1, H, D]).transpose([0, 2, 1, 3]));
          if (rope) {
            q = applyRope(q, position);
            k = applyRope(k, position);
          }
          const keys = tf.concat([pastK, k], 2);
          const values = tf.concat([pastV, v], 2);
          const want = scaledDotProductAttentionReference(q, keys, values);
          expectClose(
            y.dataSync() as Float32Array,
            want.output.transpose([0, 2, 1, 3]).reshape([B, C]).dataSync() as Float32Array,
            2e-6,
            `output at ${position}`,
          );
          expectClose(
            w.dataSync() as Float32Array,
            want.weights.dataSync() as Float32Array,
            2e-6,
            `weights at ${position}`,
          );
          expect(w.shape).toEqual([B, H, 1, position + 1]);
          // The rotated key landed in the buffer exactly as applyRope computes it.
          expect(Array.from(kb.slice([0, 0, 0, 0], [-1, -1, position + 1, -1]).dataSync())).toEqual(
            Array.from(keys.dataSync()),
          );
          tf.dispose([pastK, pastV]);
          pastK = tf.keep(keys);
          pastV = tf.keep(values);
        });
        packed.dispose();
      }
      tf.dispose([kb, vb, pastK, pastV]);
      bias?.dispose();
    });
  }

  it('runs only where fused kernels do', () => {
    const x = randomTensor([2, 6], 1);
    withoutFused(() => {
      expect(fusedSplitHeads(x, 3, 1, 1)).toBeUndefined();
      expect(fusedCausalSoftmax(x, 1, true)).toBeUndefined();
    });
    x.dispose();
  });
});

describe(`native attention kernels on ${process.env.HOW_LLMS_BACKEND}`, () => {
  // accel/native/fused_kernels.c, where the addon is built; elsewhere the JavaScript loops above are all there is.
  const native = setNativeKernels(true) === undefined;

  /** f's outputs with the native kernels on and with the JavaScript loops; the kernel `name` ran natively where it can. */
  function nativeAndJs(name: string, f: () => tf.Tensor[]): [Float32Array[], Float32Array[]] {
    const before = nativeKernelCount(name);
    const read = () => tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
    const got = read();
    if (native) expect(nativeKernelCount(name), `${name} ran natively`).toBeGreaterThan(before);
    setNativeKernels(false);
    try {
      return [got, read()];
    } finally {
      setNativeKernels(true);
    }
  }

  it(native ? 'are built here' : `are not built here: ${nativeKernelsStatus()}`, () => {
    expect(typeof native).toBe('boolean');
  });

  it('causal softmax and its gradient, masked and unmasked, equal the JavaScript loops', () => {
    const [q, k] = qkv(2, 3, 5, 9, 8, 3);
    for (const options of [{ causal: true }, { causal: true, offset: 1 }, {}] as AttentionOptions[]) {
      const run = () => {
        const w = scaledDotProductAttention(q, k, k, options).weights;
        const g = tf.grad(
          (t: tf.Tensor) => scaledDotProductAttention(t, k, k, options).weights.mul(w).sum() as tf.Scalar,
        )(q);
        return [w, g];
      };
      const [got, want] = nativeAndJs('HowLlmsCausalSoftmaxGrad', run);
      got.forEach((g, i) => expectClose(g, want[i], 1e-6, `output ${i} with ${JSON.stringify(options)}`));
    }
    tf.dispose([q, k]);
  });

  it('cached decoding steps (with and without bias and weights, D not a multiple of 4) equal the JavaScript loop; RoPE takes the loop', () => {
    const [Bc, Hc, Dc, cap] = [2, 3, 6, 7];
    const Cc = Hc * Dc;
    for (const withBias of [false, true]) {
      const bias = withBias ? randomTensor([3 * Cc], 70) : undefined;
      /** Five steps into fresh buffers: every output, weights and both buffers after each step. */
      const run = () => {
        let kb = tf.zeros([Bc, Hc, cap, Dc]);
        let vb = tf.zeros([Bc, Hc, cap, Dc]);
        const outs: tf.Tensor[] = [kb, vb];
        for (let position = 0; position < 5; position++) {
          const packed = randomTensor([Bc, 3 * Cc], 80 + position);
          const step = fusedCachedAttention(packed, kb, vb, {
            nHead: Hc,
            position,
            weights: position % 2 === 0,
            bias,
          })!;
          outs.push(...step); // output, weights (every other step), and the new buffers
          [kb, vb] = step.slice(-2);
          packed.dispose();
        }
        return outs;
      };
      const [got, want] = nativeAndJs(withBias ? 'HowLlmsCachedAttentionBias' : 'HowLlmsCachedAttention', run);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expectClose(g, want[i], 1e-6, `${withBias ? 'with bias' : 'no bias'}, output ${i}`));
      bias?.dispose();
    }
    const before = nativeKernelCount('HowLlmsCachedAttention');
    tf.tidy(() => {
      const kb = tf.zeros([Bc, Hc, cap, Dc]);
      fusedCachedAttention(randomTensor([Bc, 3 * Cc], 90), kb, kb.clone(), { nHead: Hc, position: 0, ropePosition: 0 });
    });
    expect(nativeKernelCount('HowLlmsCachedAttention')).toBe(before);
  });

  it('head split (with and without bias) and merge (with column sums) equal the JavaScript loops exactly', () => {
    for (const P of [1, 2, 3] as const) {
      const x = randomTensor([2 * 6, P * 8], 10 + P);
      const bias = randomTensor([P * 8], 20 + P);
      const run = () => {
        const plain = fusedSplitHeads(x, P, 2, 6)!;
        const biased = fusedSplitHeads(x, P, 2, 6, bias)!;
        const [dx, dbias] = tf.grads(
          (t: tf.Tensor, b: tf.Tensor) =>
            fusedSplitHeads(t, P, 2, 6, b)!.reduce((a, part) => a.add(part.sum()), tf.scalar(0)) as tf.Scalar,
        )([x, bias]);
        return [...plain, ...biased, fusedMergeHeads(plain, 2)!, dx, dbias];
      };
      const [got, want] = nativeAndJs('HowLlmsMergeHeads' + P, run);
      got.forEach((g, i) => expect(Array.from(g), `P = ${P}, output ${i}`).toEqual(Array.from(want[i])));
      tf.dispose([x, bias]);
    }
  });
});
