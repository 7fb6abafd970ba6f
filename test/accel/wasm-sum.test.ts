// The product Sum on wasm (leading-axis sums as ones @ x) must agree with the cpu backend, and with stock wasm.
import { describe, expect, it } from 'vitest';
import { installWasmSum, uninstallWasmSum, wasmSumInstalled } from '@how-llms-work/accel';
import { tf } from '@how-llms-work/lib';
import { expectWasmMatchesCpu, onWasmForThisFile, randomValues } from './on-backends';
import { leadingAxes } from '../../accel/src/wasm-sum';

onWasmForThisFile();

describe('product Sum on wasm', () => {
  it('is installed on wasm by default, and takes only leading axes', () => {
    expect(wasmSumInstalled()).toBe(true);
    expect(leadingAxes(0, 2)).toBe(1);
    expect(leadingAxes([1, 0], 3)).toBe(2);
    expect(leadingAxes(-3, 3)).toBe(1);
    expect(leadingAxes(1, 2)).toBe(0); // innermost: the stock kernel is already fast there
    expect(leadingAxes([0, 2], 3)).toBe(0);
    expect(leadingAxes([0, 1], 2)).toBe(0); // everything: stock
  });

  const cases: [number[], number | number[], boolean][] = [
    [[96, 40], 0, false],
    [[4, 24, 40], [0, 1], false],
    [[4, 24, 40], [0, 1], true],
    [[6, 5, 7], 0, true],
    [[6, 5, 7], 2, false],
    [[6, 5, 7], [0, 2], false],
    [[1, 9], 0, false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`sum of ${JSON.stringify(shape)} over ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''} and its gradient agree with cpu`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const f = () => {
        const x = tf.tensor(randomValues([n], 1), shape);
        const y = x.sum(axis, keepDims);
        const w = tf.tensor(randomValues([y.size], 2), y.shape);
        return [y, tf.grad((t: tf.Tensor) => t.sum(axis, keepDims).mul(w).sum())(x)];
      };
      await expectWasmMatchesCpu(f, 4);
    });
  }

  it('gives the right shape, keeps tensors flat and uninstalls to the stock kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(randomValues([2 * 3 * 4], 3), [2, 3, 4]);
    expect(x.sum([0, 1], true).shape).toEqual([1, 1, 4]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.tidy(() => x.sum(0).add(1)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const fast = await tf.tidy(() => x.sum([0, 1])).data();
    uninstallWasmSum();
    try {
      expect(wasmSumInstalled()).toBe(false);
      const stock = await tf.tidy(() => x.sum([0, 1])).data();
      for (let i = 0; i < stock.length; i++) expect(fast[i]).toBeCloseTo(stock[i], 4);
    } finally {
      installWasmSum();
      x.dispose();
    }
  });
});
