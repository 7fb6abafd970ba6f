import { describe, expect, it } from 'vitest';
import { benchmarkBackends, ready, tf } from '@how-llms-work/lib';

describe('benchmarkBackends', () => {
  it('runs the step on each backend asked for and comes back to the one in use', async () => {
    const seen: string[] = [];
    const timings = await benchmarkBackends(
      () => {
        const w = tf.variable(tf.ones([8, 8]));
        return {
          step: () => {
            seen.push(tf.getBackend());
            tf.tidy(() => w.assign(w.matMul(w).div(8)));
          },
          dispose: () => w.dispose(),
        };
      },
      { steps: 3, warmup: 1, backends: ['cpu', 'wasm'] },
    );
    expect(timings.map((t) => t.backend)).toEqual(['cpu', 'wasm']);
    expect(seen).toEqual(['cpu', 'cpu', 'cpu', 'cpu', 'wasm', 'wasm', 'wasm', 'wasm']);
    for (const t of timings) {
      expect(t.steps).toBe(3);
      expect(t.msPerStep).toBeGreaterThan(0);
    }
    expect(tf.getBackend()).toBe((await ready()).tfName);
    await expect(benchmarkBackends(() => ({ step() {}, dispose() {} }), { steps: 0 })).rejects.toThrow(
      /steps must be a positive integer, got 0/,
    );
  });
});
