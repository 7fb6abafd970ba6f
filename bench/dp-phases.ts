/**
 * Where a data-parallel training step's time goes: `npx tsx bench/dp-phases.ts [baby|wide] [workers] [sharded|replicated]`
 * runs the data-parallel step (lib's GPTDataParallel) and prints the medians: the slowest worker's shard gradient, its
 * average + clip + AdamW, and the whole step.
 */
import * as L from '@how-llms-work/lib';
import { tf } from '@how-llms-work/lib';
import { INIT_SEED, MODELS } from './common';

async function main(): Promise<void> {
  const model = MODELS[(process.argv[2] ?? 'baby') as 'baby' | 'wide'];
  if (!model) throw new Error(`usage: npx tsx bench/dp-phases.ts [baby|wide] [workers]; got ${process.argv[2]}`);
  const workers = Number(process.argv[3] ?? 2);
  const update = (process.argv[4] ?? 'sharded') as L.DataParallelUpdate;
  const info = await L.ready();
  console.log(info.summary);
  const { config, batchSize: B } = model;
  const rng = new L.Rng(1);
  const ids = Int32Array.from({ length: 100_000 }, () => rng.int(config.vocabSize));
  const params = L.initGPT(config, INIT_SEED);
  const optimizer = L.createAdamW(params, { weightDecay: 0.1 });
  const dp = await L.GPTDataParallel.start(
    config,
    { params, names: Object.keys(params), optimizer, clipNorm: 1.0 },
    { workers, update },
  );
  const rounds = model.name === 'wide' ? 3 : 15;
  const rows: { gradients: number; update: number; wall: number }[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const batch = L.sampleLMBatch(ids, B, config.blockSize, rng);
    await dp.step(batch, 1e-3, 0);
    tf.dispose([batch.x, batch.y]);
    const t = dp.lastTimes;
    if (i >= 2) rows.push({ gradients: Math.max(...t.gradients), update: Math.max(...t.update), wall: t.wall });
  }
  await dp.close();
  const median = (k: keyof (typeof rows)[0]) => rows.map((r) => r[k]).sort((a, b) => a - b)[rows.length >> 1];
  console.log(
    `${model.name}, ${workers} workers of ${B / workers} rows, ${update} update: step ${median('wall').toFixed(1)} ms = shard gradient ${median('gradients').toFixed(1)} ms (slowest worker) + average, clip, AdamW ${median('update').toFixed(1)} ms + messages`,
  );
  L.disposeAdamW(optimizer);
  L.disposeNamed(params);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
