import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
const tf = L.tf;

const config: L.GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };

describe('classification head', () => {
  it('hidden states are what the tied vocabulary head reads, and the head reads the last position', () => {
    const params = L.initGPT(config, 1);
    L.addClassifierHead(params, config.nEmbd, 3, 2);
    const ids = tf.tensor2d(
      [
        [1, 2, 3, 4, 5],
        [5, 4, 3, 2, 1],
      ],
      undefined,
      'int32',
    );
    const gap = tf.tidy(() => {
      const h = L.gptHiddenStates(params, config, ids); // (2, 5, 16)
      const viaHidden = h.reshape([10, 16]).matMul(params['transformer.wte.weight'], false, true).reshape([2, 5, 11]);
      return viaHidden
        .sub(L.gptForward(params, config, ids))
        .abs()
        .max()
        .dataSync()[0];
    });
    expect(gap).toBeLessThan(1e-5);
    const logits = L.classifierLogits(params, config, ids);
    expect(logits.shape).toEqual([2, 3]);
    // Only the last position matters: change the first token of row 0 and its logits move; the causal model
    // would not change them by editing the future, so the head must be reading position T − 1.
    const changed = L.classifierLogits(
      params,
      config,
      tf.tensor2d(
        [
          [9, 2, 3, 4, 5],
          [5, 4, 3, 2, 1],
        ],
        undefined,
        'int32',
      ),
    );
    const diff = changed.sub(logits).abs().max(1).dataSync();
    expect(diff[0]).toBeGreaterThan(0);
    expect(diff[1]).toBe(0);
    // Mean pooling: the head reads the average of the hidden states over positions.
    const pooled = tf.tidy(() => {
      const h = L.gptHiddenStates(params, config, ids).mean(1); // (2, 16)
      const expected = h.matMul(params['classifier.weight'], false, true).add(params['classifier.bias']);
      return L.classifierLogits(params, config, ids, 'mean').sub(expected).abs().max().dataSync()[0];
    });
    expect(pooled).toBeLessThan(1e-5);
    expect(() => L.classifierLogits(params, config, ids, 'max' as L.Pooling)).toThrow(/pooling/);
    tf.dispose([ids, logits, changed]);
    expect(() => L.addClassifierHead(params, 16, 1)).toThrow(/2 classes/);
    L.disposeNamed(params);
  });

  it('splits by class, samples windows with their labels, and predicts documents without leaks', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      ids: Array.from({ length: 30 }, (_, j) => (i + j) % 11),
      label: i % 4,
    }));
    const { first, second } = L.stratifiedSplit(items, (d) => d.label, 0.25, 3);
    expect(first.length + second.length).toBe(40);
    for (let k = 0; k < 4; k++) expect(second.filter((d) => d.label === k)).toHaveLength(3);
    expect(second.some((d) => first.includes(d))).toBe(false);
    const batch = L.sampleWindows(items, 5, 8, new L.Rng(1));
    expect(batch.x.shape).toEqual([5, 8]);
    const x = batch.x.arraySync() as number[][];
    const y = Array.from(batch.y.dataSync());
    x.forEach((row, b) =>
      expect(items.some((d) => d.label === y[b] && d.ids.join(',').includes(row.join(',')))).toBe(true),
    );
    tf.dispose([batch.x, batch.y]);
    const params = L.initGPT(config, 1);
    L.addClassifierHead(params, config.nEmbd, 4, 2);
    const before = tf.memory().numTensors;
    const predictions = L.predictDocuments(params, config, second, 8, 3, 'mean');
    expect(tf.memory().numTensors).toBe(before);
    expect(predictions.every((p) => p >= 0 && p < 4)).toBe(true);
    L.disposeNamed(params);
  });

  it('counts a confusion matrix with true classes in rows', () => {
    expect(L.confusionMatrix([0, 0, 1, 2], [0, 1, 1, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(() => L.confusionMatrix([0], [3], 3)).toThrow(/class ids/);
  });

  it('grows the vocabulary: old rows kept, new rows at the mean', () => {
    const params = L.initGPT(config, 4);
    const old = params['transformer.wte.weight'].arraySync() as number[][];
    const grown = L.growTokenEmbedding(params, config, 14, 1, 0);
    expect(grown.vocabSize).toBe(14);
    const wte = params['transformer.wte.weight'].arraySync() as number[][];
    expect(wte.slice(0, 11)).toEqual(old);
    const mean = old[0].map((_, c) => old.reduce((s, r) => s + r[c], 0) / old.length);
    wte[12].forEach((v, c) => expect(v).toBeCloseTo(mean[c], 5));
    expect(() => L.growTokenEmbedding(params, grown, 3)).toThrow(/only grow/);
    L.disposeNamed(params);
  });
});
