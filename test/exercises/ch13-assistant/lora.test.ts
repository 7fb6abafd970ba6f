// Chapter 13, LoRA: the layer and its merge, compared with the library and with each other.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { loraLinear, mergeLoRAWeight } from '@exercises/ch13-assistant/lora';
const tf = L.tf;

const maxDiff = (a: L.tf.Tensor, b: L.tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

describe('ch13 loraLinear', () => {
  it('follows the worked example', () => {
    const y = loraLinear(
      tf.tensor2d([[1, 2]]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      undefined,
      tf.tensor2d([[1, 1]]),
      tf.tensor2d([[1], [0]]),
      2,
    );
    expect(Array.from(y.dataSync())).toEqual([7, 2]);
  });

  it('matches the library on random inputs with a bias', () => {
    const x = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 1);
    const W = tf.randomNormal([5, 8], 0, 0.5, 'float32', 2);
    const b = tf.randomNormal([5], 0, 0.5, 'float32', 3);
    const A = tf.randomNormal([2, 8], 0, 0.5, 'float32', 4);
    const B = tf.randomNormal([5, 2], 0, 0.5, 'float32', 5);
    const got = loraLinear(x, W, b, A, B, 0.5);
    expect(got.shape).toEqual([2, 3, 5]);
    expect(maxDiff(got, L.loraLinear(x, W, b, A, B, 0.5))).toBeLessThan(1e-5);
  });
});

describe('ch13 mergeLoRAWeight', () => {
  it('follows the worked example', () => {
    const w = mergeLoRAWeight(
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([[1, 1]]),
      tf.tensor2d([[1], [0]]),
      2,
    );
    expect(w.arraySync()).toEqual([
      [3, 2],
      [0, 1],
    ]);
  });

  it("a linear layer with the merged weight gives the LoRA layer's outputs", () => {
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 6);
    const W = tf.randomNormal([3, 6], 0, 0.5, 'float32', 7);
    const A = tf.randomNormal([2, 6], 0, 0.5, 'float32', 8);
    const B = tf.randomNormal([3, 2], 0, 0.5, 'float32', 9);
    const merged = mergeLoRAWeight(W, A, B, 1.5);
    expect(maxDiff(merged, L.mergeLoRAWeight(W, A, B, 1.5))).toBeLessThan(1e-6);
    expect(maxDiff(L.linear(x, merged), L.loraLinear(x, W, undefined, A, B, 1.5))).toBeLessThan(1e-5);
  });
});
