// Chapter 13 hidden tests for LoRA: gradients, ranks, leading axes, leaks, an adapted GPT.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { loraLinear, mergeLoRAWeight } from '@exercises/ch13-assistant/lora';
const tf = L.tf;

const maxDiff = (a: L.tf.Tensor, b: L.tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

describe('ch13 loraLinear', () => {
  it("gives the library's gradients for x, A and B, on a 4-D input, and leaks nothing", () => {
    const x = tf.randomNormal([2, 2, 3, 10], 0, 1, 'float32', 11);
    const W = tf.randomNormal([7, 10], 0, 0.5, 'float32', 12);
    const b = tf.randomNormal([7], 0, 0.5, 'float32', 13);
    const A = tf.randomNormal([4, 10], 0, 0.5, 'float32', 14);
    const B = tf.randomNormal([7, 4], 0, 0.5, 'float32', 15);
    const before = tf.memory().numTensors;
    const out = loraLinear(x, W, b, A, B, 3);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out.shape).toEqual([2, 2, 3, 7]);
    out.dispose();
    const mine = tf.grads((xx: L.tf.Tensor, aa: L.tf.Tensor, bb: L.tf.Tensor) =>
      loraLinear(xx, W, b, aa, bb, 3).square().sum(),
    )([x, A, B]);
    const want = tf.grads((xx: L.tf.Tensor, aa: L.tf.Tensor, bb: L.tf.Tensor) =>
      L.loraLinear(xx, W, b, aa, bb, 3).square().sum(),
    )([x, A, B]);
    mine.forEach((g, i) => expect(maxDiff(g, want[i]) / (1 + want[i].abs().max().dataSync()[0])).toBeLessThan(1e-4));
  });

  it('with B = 0 is exactly the frozen layer, at any scale', () => {
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 16);
    const W = tf.randomNormal([3, 4], 0, 1, 'float32', 17);
    const A = tf.randomNormal([1, 4], 0, 1, 'float32', 18);
    expect(maxDiff(loraLinear(x, W, undefined, A, tf.zeros([3, 1]), 100), L.linear(x, W))).toBeLessThan(1e-6);
  });
});

describe('ch13 mergeLoRAWeight', () => {
  it("merges every adapter of a GPT so that it gives the adapted model's logits", () => {
    const config: L.GPTConfig = { vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
    const params = L.initGPT(config, 3);
    const adapters = L.initLoRA(params, { rank: 2, seed: 1 });
    for (const [n, v] of Object.entries(adapters))
      if (n.endsWith('lora_B')) v.assign(tf.randomNormal(v.shape, 0, 0.1, 'float32', n.length));
    const ids = tf.tensor2d([[1, 2, 3, 4, 5, 6]], undefined, 'int32');
    const adapted = tf.tidy(() => L.gptForward(L.withLoRA(params, adapters, 2), config, ids));
    const before = tf.memory().numTensors;
    const merged: L.Params = { ...params };
    for (const n of Object.keys(adapters).filter((k) => k.endsWith('.lora_A'))) {
      const w = n.slice(0, -'.lora_A'.length);
      merged[w] = mergeLoRAWeight(params[w], adapters[n], adapters[`${w}.lora_B`], 2) as L.tf.Variable;
    }
    expect(tf.memory().numTensors).toBe(before + Object.keys(adapters).length / 2);
    expect(maxDiff(L.gptForward(merged, config, ids), adapted)).toBeLessThan(1e-4);
  });

  it("keeps the weight's shape for a wide and a tall matrix and any rank", () => {
    for (const [out, inp, r] of [
      [2, 9, 1],
      [9, 2, 2],
      [6, 6, 6],
    ]) {
      const W = tf.randomNormal([out, inp], 0, 1, 'float32', out);
      const A = tf.randomNormal([r, inp], 0, 1, 'float32', inp);
      const B = tf.randomNormal([out, r], 0, 1, 'float32', r);
      const m = mergeLoRAWeight(W, A, B, 0.25);
      expect(m.shape).toEqual([out, inp]);
      expect(maxDiff(m, L.mergeLoRAWeight(W, A, B, 0.25))).toBeLessThan(1e-5);
    }
  });
});
