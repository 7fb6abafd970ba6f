/**
 * Where a training step's time goes, kernel by kernel, on the backend the environment selects:
 *   npx tsx bench/profile.ts [baby|wide]          (HOW_LLMS_BACKEND, HOW_LLMS_STOCK_TFJS apply)
 * Runs the library's real step (loss and gradients, clip, AdamW) under tf.profile and prints the
 * kernels that take the most time, with their share of the step.
 */
import * as L from '@how-llms-work/lib';
import { tf } from '@how-llms-work/lib';
import { MODELS, libraryStep } from './common';

async function main(): Promise<void> {
  const which = (process.argv[2] ?? 'baby') as keyof typeof MODELS;
  const model = MODELS[which];
  if (!model) throw new Error(`model must be one of ${Object.keys(MODELS).join(', ')}, got ${process.argv[2]}`);
  const info = await L.ready();
  const { step } = libraryStep(model);
  step();
  const t0 = performance.now();
  const profile = await tf.profile(step);
  const wall = performance.now() - t0;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += k.kernelTimeMs as number;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b.ms, 0);
  console.log(
    `${info.summary}\n${which} GPT step under tf.profile: ${wall.toFixed(0)} ms wall, ${total.toFixed(0)} ms in kernels, ${profile.kernels.length} kernel calls`,
  );
  const sorted = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
  for (const [name, { ms, calls }] of sorted) {
    console.log(
      `${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${String(calls).padStart(5)} calls`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
