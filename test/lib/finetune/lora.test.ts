import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
const tf = L.tf;

const config: L.GPTConfig = { vocabSize: 20, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };

function randomizeB(adapters: L.Params, seed: number): void {
  let s = seed;
  for (const [name, v] of Object.entries(adapters))
    if (name.endsWith('lora_B')) v.assign(tf.randomNormal(v.shape, 0, 0.1, 'float32', s++));
}

describe('LoRA', () => {
  it('the side path equals a linear layer with the merged weight', () => {
    const x = tf.randomNormal([3, 5, 12], 0, 1, 'float32', 1);
    const W = tf.randomNormal([7, 12], 0, 0.3, 'float32', 2);
    const b = tf.randomNormal([7], 0, 0.3, 'float32', 3);
    const A = tf.randomNormal([2, 12], 0, 0.3, 'float32', 4);
    const B = tf.randomNormal([7, 2], 0, 0.3, 'float32', 5);
    const side = L.loraLinear(x, W, b, A, B, 1.5);
    const merged = L.linear(x, L.mergeLoRAWeight(W, A, B, 1.5), b);
    expect(side.shape).toEqual([3, 5, 7]);
    expect(tf.max(tf.abs(side.sub(merged))).dataSync()[0]).toBeLessThan(1e-5);
    const direct = x
      .reshape([15, 12])
      .matMul(W.add(B.matMul(A).mul(1.5)).transpose())
      .add(b)
      .reshape([3, 5, 7]);
    expect(tf.max(tf.abs(side.sub(direct))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, W, b, A, B, side, merged, direct]);
  });

  it('adapts the four matrices of each block, starts equal to the base, and trains a small fraction', () => {
    const params = L.initGPT(config, 1);
    const adapters = L.initLoRA(params, { rank: 2 });
    expect(Object.keys(adapters)).toHaveLength(4 * 2 * config.nLayer);
    expect(adapters['transformer.h.0.attn.c_attn.weight.lora_A'].shape).toEqual([2, 16]);
    expect(adapters['transformer.h.0.attn.c_attn.weight.lora_B'].shape).toEqual([48, 2]);
    expect(L.countParameters(adapters)).toBe(config.nLayer * 2 * (16 + 48 + 16 + 16 + 16 + 64 + 64 + 16));
    const ids = tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32');
    const gap = tf.tidy(
      () =>
        L.gptForward(L.withLoRA(params, adapters, 1), config, ids)
          .sub(L.gptForward(params, config, ids))
          .abs()
          .max()
          .dataSync()[0],
    );
    expect(gap).toBe(0);
    expect(() => L.initLoRA(params, { rank: 0 })).toThrow(/rank/);
    expect(() => L.initLoRA(params, { rank: 2, targets: ['nothing.*'] })).toThrow(/no parameter matches/);
    tf.dispose(ids);
    L.disposeNamed(params);
    L.disposeNamed(adapters);
  });

  it('merging gives the same outputs as the adapted model and leaves a plain GPT', () => {
    const params = L.initGPT(config, 2);
    const adapters = L.initLoRA(params, { rank: 3, alpha: 6, seed: 4 });
    randomizeB(adapters, 10);
    const scale = L.loraScale({ rank: 3, alpha: 6 });
    expect(scale).toBe(2);
    const ids = tf.tensor2d(
      [
        [1, 2, 3, 4, 5, 6, 7, 8],
        [8, 7, 6, 5, 4, 3, 2, 1],
      ],
      undefined,
      'int32',
    );
    const adapted = tf.tidy(() => L.gptForward(L.withLoRA(params, adapters, scale), config, ids));
    const base = L.gptForward(params, config, ids);
    expect(tf.max(tf.abs(adapted.sub(base))).dataSync()[0]).toBeGreaterThan(1e-3);
    const before = tf.memory().numTensors;
    L.mergeLoRA(params, adapters, scale);
    expect(tf.memory().numTensors).toBe(before - Object.keys(adapters).length);
    const merged = L.gptForward(params, config, ids);
    expect(tf.max(tf.abs(adapted.sub(merged))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([ids, adapted, base, merged]);
    L.disposeNamed(params);
  });

  it('can train the new token rows too: only those rows change after the merge', async () => {
    const tok = L.ChatTokenizer.extending(L.CharTokenizer.fromText('abcdefgh rev:'), '');
    const cfg: L.GPTConfig = { ...config, vocabSize: tok.vocabSize, blockSize: 24 };
    const params = L.initGPT(cfg, 6);
    const adapters = L.initLoRA(params, { rank: 1, newTokenRows: 3 });
    expect(adapters[L.NEW_TOKEN_ROWS].shape).toEqual([3, 16]);
    const before = params['transformer.wte.weight'].arraySync() as number[][];
    const examples = [{ prompt: 'rev: abc', answer: 'cba' }];
    await L.trainSFT({
      params,
      config: cfg,
      tokenizer: tok,
      examples,
      batchSize: 2,
      steps: 3,
      lr: 1e-2,
      lora: { adapters, scale: 1 },
    });
    const ids = L.tf.tensor2d([tok.encode(L.chatPromptText('rev: ab'))], undefined, 'int32');
    const adapted = tf.tidy(() => L.gptForward(L.withLoRA(params, adapters, 1), cfg, ids));
    L.mergeLoRA(params, adapters, 1);
    const after = params['transformer.wte.weight'].arraySync() as number[][];
    expect(after.slice(0, -3)).toEqual(before.slice(0, -3));
    expect(after.slice(-3)).not.toEqual(before.slice(-3));
    expect(tf.tidy(() => L.gptForward(params, cfg, ids).sub(adapted).abs().max().dataSync()[0])).toBeLessThan(1e-5);
    tf.dispose([ids, adapted]);
    L.disposeNamed(params);
  });

  it('an SFT step through LoRA changes only the adapters, and keeps the tensor count flat', async () => {
    const tok = L.ChatTokenizer.extending(L.CharTokenizer.fromText('abcdefgh rev:'), '');
    const cfg: L.GPTConfig = { ...config, vocabSize: tok.vocabSize, blockSize: 24 };
    const params = L.initGPT(cfg, 3);
    const adapters = L.initLoRA(params, { rank: 1 });
    const snapshot = Object.fromEntries(Object.entries(params).map(([n, v]) => [n, v.dataSync().slice()]));
    const examples = [
      { prompt: 'rev: abc', answer: 'cba' },
      { prompt: 'rev: hag', answer: 'gah' },
    ];
    const before = tf.memory().numTensors;
    const run = await L.trainSFT({
      params,
      config: cfg,
      tokenizer: tok,
      examples,
      batchSize: 2,
      steps: 3,
      lr: 1e-2,
      lora: { adapters, scale: 1 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(run.trainable).toBe(L.countParameters(adapters));
    for (const [n, v] of Object.entries(params)) expect(Array.from(v.dataSync())).toEqual(Array.from(snapshot[n]));
    expect(adapters['transformer.h.0.mlp.c_fc.weight.lora_B'].abs().sum().dataSync()[0]).toBeGreaterThan(0);
    L.disposeNamed(params);
    L.disposeNamed(adapters);
  });
});
