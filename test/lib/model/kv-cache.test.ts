// The KV cache: full-length buffers written (into new copies) by one kernel where the fused kernels run,
// concatenation elsewhere, the same logits either way, a cache started one way can be continued the other,
// and the cache owns its memory: a tensor it handed out never changes afterwards.
import { describe, expect, it } from 'vitest';
import {
  createKVCache,
  disposeKVCache,
  disposeNamed,
  gptForward,
  initGPT,
  tf,
  type GPTConfig,
  type KVCache,
} from '@how-llms-work/lib';
import { fusedAvailable, withSettings } from '@how-llms-work/accel';

const config: GPTConfig = { vocabSize: 13, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 8 };

function withFused<T>(on: boolean, f: () => T): T {
  return withSettings({ fused: on }, f);
}

const ids = tf.tensor2d(
  [
    [1, 5, 2, 7, 3, 9, 4, 0],
    [6, 6, 1, 2, 12, 3, 5, 8],
  ],
  [2, 8],
  'int32',
);

/** Logits (2, 8, V) fed through a cache: 3 tokens, then one at a time; `fused(t)` says whether step t runs fused. */
function cachedLogits(
  params: ReturnType<typeof initGPT>,
  c: GPTConfig,
  cache: KVCache,
  fused: (t: number) => boolean,
): tf.Tensor {
  const step = (from: number, n: number) =>
    withFused(fused(from), () =>
      tf.tidy(() => gptForward(params, c, ids.slice([0, from], [2, n]) as tf.Tensor2D, { cache })),
    );
  const parts = [step(0, 3)];
  for (let t = 3; t < 8; t++) parts.push(step(t, 1));
  const all = tf.concat(parts, 1);
  tf.dispose(parts);
  return all;
}

describe('KV cache', () => {
  for (const positional of ['learned', 'rope'] as const) {
    it(`${positional}: fused, composed, and switching midway all give the full forward's logits`, () => {
      const c = { ...config, positional };
      const params = initGPT(c, 3);
      const full = gptForward(params, c, ids);
      for (const [what, fused] of [
        ['fused', () => true],
        ['composed', () => false],
        ['composed then fused', (t: number) => t >= 5],
        ['fused then composed', (t: number) => t < 5],
      ] as const) {
        const cache = createKVCache(c);
        const got = cachedLogits(params, c, cache, fused);
        expect(cache.length, what).toBe(8);
        expect(
          cache.layers.every((l) => l.length === 8),
          what,
        ).toBe(true);
        expect(tf.abs(got.sub(full)).max().dataSync()[0], what).toBeLessThan(1e-4);
        disposeKVCache(cache);
        got.dispose();
      }
      full.dispose();
      disposeNamed(params);
    });
  }

  it('preallocates (B, H, blockSize, D) buffers once where the fused kernels run (else concatenates), and frees them', () => {
    const params = initGPT(config, 4);
    const cache = createKVCache(config);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let t = 0; t < 6; t++) {
      tf.tidy(() => {
        gptForward(params, config, ids.slice([0, t], [2, 1]) as tf.Tensor2D, { cache });
      });
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0] - before).toBe(2 * config.nLayer); // a key and a value buffer per layer
    // wasm and cpu run the fused kernels unless HOW_LLMS_FUSED=0 or HOW_LLMS_STOCK_TFJS=1.
    const fused = fusedAvailable('HowLlmsKVCacheWrite');
    expect(cache.layers[0].k!.shape).toEqual([2, 2, fused ? 12 : 6, 4]);
    disposeKVCache(cache);
    expect(cache.layers[0].k).toBeNull();
    expect(cache.layers[0].length).toBe(0);
    disposeNamed(params);
  });

  for (const fused of [true, false]) {
    it(`owns its memory: a clone of a cache tensor is unchanged by the next decoding steps (fused kernels ${fused ? 'on' : 'off'})`, () => {
      withFused(fused, () => {
        const params = initGPT(config, 5);
        const cache = createKVCache(config);
        tf.tidy(() => {
          gptForward(params, config, ids.slice([0, 0], [2, 3]) as tf.Tensor2D, { cache });
        });
        // On wasm a clone shares its source's memory: a kernel that wrote into the cache's tensor would change it too.
        const layer = cache.layers[0];
        const clones = [layer.k!.clone(), layer.v!.clone()];
        const held = [layer.k!, layer.v!];
        const before = clones.map((t) => Array.from(t.dataSync()));
        for (let t = 3; t < 6; t++) {
          tf.tidy(() => {
            gptForward(params, config, ids.slice([0, t], [2, 1]) as tf.Tensor2D, { cache });
          });
        }
        expect(layer.length).toBe(6);
        clones.forEach((c, i) => expect(Array.from(c.dataSync()), i === 0 ? 'keys' : 'values').toEqual(before[i]));
        // The step's tensors are new ones; the ones handed out before were released, not rewritten.
        expect(held.every((t) => t.isDisposed)).toBe(true);
        tf.dispose(clones);
        disposeKVCache(cache);
        disposeNamed(params);
      });
    });
  }
});
