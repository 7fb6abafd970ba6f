/**
 * Hardware acceleration, measured: the same training step timed on every backend this machine can run.
 * The step is rebuilt on each backend (a tensor belongs to the backend that made it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { availableBackends, ready, useBackend, type BackendName } from '../runtime';

/** A step to time: `step()` does one unit of work, `dispose()` frees what `make` built. */
export interface TimedWork {
  step: () => void;
  dispose: () => void;
}

/** One backend's time per step. */
export interface BackendTiming {
  backend: BackendName;
  msPerStep: number;
  steps: number;
}

/** Time `make()`'s step on each backend (default: all that initialise here), after `warmup` untimed steps; restores the backend in use. */
export async function benchmarkBackends(
  make: () => TimedWork,
  o: { steps?: number; warmup?: number; backends?: BackendName[] } = {},
): Promise<BackendTiming[]> {
  const steps = o.steps ?? 5;
  const warmup = o.warmup ?? 2;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  const original = (await ready()).name;
  const backends = o.backends ?? (await availableBackends());
  const timings: BackendTiming[] = [];
  try {
    for (const backend of backends) {
      await useBackend(backend);
      const work = make();
      try {
        for (let i = 0; i < warmup; i++) work.step();
        await tf.ready();
        const start = performance.now();
        for (let i = 0; i < steps; i++) work.step();
        // Backends may queue work (GPUs do): wait until it has really run.
        tf.tidy(() => tf.scalar(0).dataSync());
        timings.push({ backend, msPerStep: (performance.now() - start) / steps, steps });
      } finally {
        work.dispose();
      }
    }
  } finally {
    await useBackend(original);
  }
  return timings;
}
