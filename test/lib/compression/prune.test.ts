import { describe, expect, it } from 'vitest';
import {
  applyMasks,
  attentionHeadMasks,
  disposeNamed,
  gptForward,
  globalMagnitudeMasks,
  initGPT,
  magnitudeMask,
  measuredSparsity,
  mlpNeuronMasks,
  tf,
  type GPTConfig,
} from '@how-llms-work/lib';

const config: GPTConfig = { vocabSize: 10, blockSize: 8, nLayer: 2, nHead: 4, nEmbd: 8 };

describe('unstructured magnitude pruning', () => {
  it('zeroes exactly the smallest-magnitude fraction of a tensor', () => {
    const w = tf.tensor2d([
      [0.5, -0.1, 2],
      [-3, 0.2, -0.05],
    ]);
    const m = magnitudeMask(w, 0.5);
    expect(m.arraySync()).toEqual([
      [1, 0, 1],
      [1, 0, 0],
    ]);
    expect(Array.from(magnitudeMask(w, 0).dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(magnitudeMask(w, 1).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    const ties = magnitudeMask(tf.ones([4]), 0.5);
    expect(Array.from(ties.dataSync())).toEqual([0, 0, 1, 1]); // exact count even with ties
    expect(() => magnitudeMask(w, 1.5)).toThrow(/sparsity must be in \[0, 1\], got 1.5/);
    tf.dispose([w, m, ties]);
  });

  it('prunes globally with one threshold across layers and leaves embeddings and vectors alone', () => {
    const params = initGPT(config, 1);
    const masks = globalMagnitudeMasks(params, 0.6);
    expect(Object.keys(masks).some((n) => n.includes('wte') || n.endsWith('bias'))).toBe(false);
    let maxPruned = 0;
    let minKept = Infinity;
    for (const [n, m] of Object.entries(masks)) {
      const w = params[n].dataSync();
      const k = m.dataSync();
      for (let i = 0; i < w.length; i++) {
        if (k[i] === 0) maxPruned = Math.max(maxPruned, Math.abs(w[i]));
        else minKept = Math.min(minKept, Math.abs(w[i]));
      }
    }
    expect(maxPruned).toBeLessThanOrEqual(minKept);
    applyMasks(params, masks);
    expect(measuredSparsity(params)).toBeCloseTo(0.6, 3);
    expect(measuredSparsity(params, (n) => n.includes('wte'))).toBe(0);
    tf.dispose(masks);
    disposeNamed(params);
  });
});

describe('structured pruning', () => {
  it('removes whole MLP neurons: the pruned neurons no longer affect the output', () => {
    const params = initGPT(config, 2);
    const masks = mlpNeuronMasks(params, config, 0.25);
    applyMasks(params, masks);
    const fcMask = masks['transformer.h.0.mlp.c_fc.weight'].arraySync() as number[][];
    const dropped = fcMask.map((row, j) => (row.every((v) => v === 0) ? j : -1)).filter((j) => j >= 0);
    expect(dropped).toHaveLength(8); // a quarter of 4C = 32 neurons
    expect(fcMask.every((row) => row.every((v) => v === row[0]))).toBe(true); // whole rows
    const projMask = masks['transformer.h.0.mlp.c_proj.weight'].arraySync() as number[][];
    for (const j of dropped) expect(projMask.every((row) => row[j] === 0)).toBe(true);
    const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    const before = gptForward(params, config, ids);
    // Re-grow a pruned neuron's input weights: its output column is gone, so nothing changes.
    const fc = params['transformer.h.0.mlp.c_fc.weight'];
    tf.tidy(() => fc.assign(fc.add(tf.tensor2d(fcMask.map((row) => row.map((v) => (v === 0 ? 0.5 : 0)))))));
    const after = gptForward(params, config, ids);
    expect(tf.max(tf.abs(before.sub(after))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([masks, ids, before, after]);
    disposeNamed(params);
  });

  it('removes whole attention heads: q, k, v rows and output columns of the same head', () => {
    const params = initGPT(config, 3);
    const masks = attentionHeadMasks(params, config, 0.5);
    const C = 8;
    const D = 2;
    const proj = masks['transformer.h.1.attn.c_proj.weight'].arraySync() as number[][];
    const headsKept = [0, 1, 2, 3].filter((h) => proj[0][h * D] === 1);
    expect(headsKept).toHaveLength(2);
    const qkv = masks['transformer.h.1.attn.c_attn.weight'].arraySync() as number[][];
    for (let h = 0; h < 4; h++) {
      const kept = headsKept.includes(h) ? 1 : 0;
      for (let s = 0; s < 3; s++)
        for (let d = 0; d < D; d++) expect(qkv[s * C + h * D + d].every((v) => v === kept)).toBe(true);
      for (let d = 0; d < D; d++) expect(proj.every((row) => row[h * D + d] === kept)).toBe(true);
    }
    expect(masks['transformer.h.1.attn.c_attn.bias'].shape).toEqual([24]);
    expect(() => attentionHeadMasks({}, config, 0.5)).toThrow(/no attention weights under transformer.h.0.attn/);
    tf.dispose(masks);
    disposeNamed(params);
  });

  it('refuses a mask of the wrong shape, naming both shapes', () => {
    const params = initGPT(config, 4);
    const bad = { 'transformer.h.0.mlp.c_fc.weight': tf.ones([2, 2]) };
    expect(() => applyMasks(params, bad)).toThrow(/has shape \[2,2\] but the parameter has \[32,8\]/);
    tf.dispose(bad);
    disposeNamed(params);
  });
});
