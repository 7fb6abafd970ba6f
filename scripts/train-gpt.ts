/**
 * `npm run train:gpt`: train a character-level GPT on Tiny Shakespeare, save a checkpoint atomically, print a sample.
 * Defaults are the course's "baby GPT" (vocab 65, block 64, batch 12, 4 layers, 4 heads, width 128, AdamW lr 1e-3,
 * 100 warm-up steps then cosine to 1e-4, weight decay 0.1, clip 1.0, no dropout), chapter 7's full-profile recipe, saved
 * where chapter 7 saves its model (.checkpoints/shakespeare-char.ckpt) so that chapters 8 and later load it. Every
 * number is a flag:
 *   npm run train:gpt -- --steps 6000 --minutes 30 --out .checkpoints/shakespeare-char.ckpt
 * The steps run data-parallel over one worker thread per physical core where that is faster (`--workers auto`, the
 * default, times three steps each way first: each worker takes an equal share of every batch on one thread; the other
 * way is this thread alone with the native thread pool inside each kernel); `--workers N` sets it.
 */
import { parseArgs } from 'node:util';
import * as L from '@how-llms-work/lib';
import { physicalCores } from '@how-llms-work/accel';

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '6000' },
    minutes: { type: 'string', default: '0' },
    batch: { type: 'string', default: '12' },
    block: { type: 'string', default: '64' },
    layers: { type: 'string', default: '4' },
    heads: { type: 'string', default: '4' },
    embd: { type: 'string', default: '128' },
    dropout: { type: 'string', default: '0' },
    lr: { type: 'string', default: '1e-3' },
    'min-lr': { type: 'string', default: '1e-4' },
    warmup: { type: 'string', default: '100' },
    'weight-decay': { type: 'string', default: '0.1' },
    clip: { type: 'string', default: '1.0' },
    'eval-every': { type: 'string', default: '250' },
    'eval-iters': { type: 'string', default: '20' },
    'log-every': { type: 'string', default: '25' },
    seed: { type: 'string', default: '1337' },
    out: { type: 'string', default: L.chapter7Checkpoint('full') },
    'sample-tokens': { type: 'string', default: '500' },
    workers: { type: 'string', default: 'auto' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(
    'usage: npm run train:gpt -- [--steps N] [--minutes M (0 = no limit)] [--batch B] [--block T] [--layers L] [--heads H] [--embd C]',
  );
  console.log('       [--dropout p] [--lr 1e-3] [--min-lr 1e-4] [--warmup 100] [--weight-decay 0.1] [--clip 1.0]');
  console.log(
    '       [--eval-every 250] [--eval-iters 20] [--log-every 25] [--seed 1337] [--out FILE] [--sample-tokens 500]',
  );
  console.log(
    '       [--workers auto|N (data-parallel worker threads; auto: one per physical core where 3 timed steps say that is faster, else 1: this thread alone)]',
  );
  process.exit(0);
}

function num(name: keyof typeof flags): number {
  const value = Number(flags[name]);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${JSON.stringify(flags[name])}`);
  return value;
}

/**
 * The data-parallel workers: `--workers N`, or (auto) one per physical core (at most one per row of the batch) where
 * three timed steps say they beat training in this thread with the native thread pool, else 1.
 */
async function workers(config: L.GPTConfig, batchSize: number): Promise<{ workers: number; why: string }> {
  if (flags.workers === 'auto') {
    const cores = physicalCores();
    const candidate = L.defaultTrainWorkers(batchSize, cores);
    if (candidate === 1)
      return { workers: 1, why: `${cores} physical core${cores === 1 ? '' : 's'}; --workers N sets it` };
    const c = await L.fasterTrainWorkers(config, batchSize, candidate);
    const measured = `measured over 3 steps: ${c.dataParallelMs.toFixed(0)} ms a step over ${candidate} workers (one per physical core), ${c.inThreadMs.toFixed(0)} ms in one thread with the native thread pool`;
    return { workers: c.workers, why: `${measured}; --workers N sets it` };
  }
  const n = num('workers');
  if (!Number.isInteger(n) || n < 1 || n > batchSize)
    throw new Error(`--workers must be auto or an integer from 1 to the batch size ${batchSize}, got ${flags.workers}`);
  return { workers: n, why: 'set by --workers' };
}

async function main(): Promise<void> {
  const info = await L.ready();
  console.log(info.summary);
  const text = await L.loadText('tinyshakespeare');
  const model = {
    blockSize: num('block'),
    nLayer: num('layers'),
    nHead: num('heads'),
    nEmbd: num('embd'),
    dropout: num('dropout'),
  };
  const vocabSize = L.CharTokenizer.fromText(text).vocabSize;
  const parallel = await workers({ ...model, vocabSize }, num('batch'));
  console.log(
    parallel.workers > 1
      ? `Training data-parallel over ${parallel.workers} worker threads, one thread each, taking ${L.shardRows(num('batch'), parallel.workers).join(' + ')} rows of every batch (${parallel.why}).`
      : `Training in this thread (${parallel.why}).`,
  );
  const steps = num('steps');
  const minutes = num('minutes');
  console.log(
    `Tiny Shakespeare: ${text.length.toLocaleString()} characters; training ${steps} steps${minutes > 0 ? ` or ${minutes} min, whichever ends first` : ''}`,
  );
  const started = Date.now();
  const run = await L.trainCharGPT({
    text,
    model,
    batchSize: num('batch'),
    steps,
    maxLr: num('lr'),
    minLr: num('min-lr'),
    warmupSteps: num('warmup'),
    weightDecay: num('weight-decay'),
    clipNorm: num('clip'),
    evalEvery: num('eval-every'),
    evalIters: num('eval-iters'),
    logEvery: num('log-every'),
    seed: num('seed'),
    timeLimitMs: minutes > 0 ? minutes * 60_000 : undefined,
    workers: parallel.workers,
    onProgress: (p) => {
      const secs = (p.elapsedMs / 1000).toFixed(0).padStart(5);
      if (p.valLoss !== undefined)
        console.log(
          `step ${String(p.step).padStart(5)} | ${secs}s | eval: train ${p.trainLoss!.toFixed(4)}  val ${p.valLoss.toFixed(4)}`,
        );
      else if (p.loss !== undefined)
        console.log(
          `step ${String(p.step).padStart(5)} | ${secs}s | loss ${p.loss.toFixed(4)} | lr ${p.lr.toExponential(2)} | grad norm ${p.gradNorm!.toFixed(2)}`,
        );
    },
  });
  const last = run.result.evals.at(-1)!;
  const wall = (Date.now() - started) / 1000;
  console.log(
    `\n${L.countParameters(run.params).toLocaleString()} parameters, ${run.result.step} steps in ${wall.toFixed(0)} s ` +
      `(${(wall / Math.max(1, run.result.step)).toFixed(2)} s/step, stopped by ${run.result.stopReason}); ` +
      `final train loss ${last.trainLoss.toFixed(4)}, val loss ${last.valLoss!.toFixed(4)} (log V = ${Math.log(run.config.vocabSize).toFixed(4)})`,
  );
  await L.saveCharGPT(flags.out!, { ...run, note: `train-gpt.ts ${process.argv.slice(2).join(' ')}` });
  console.log(`checkpoint saved to ${L.coursePath(flags.out!)}; chapters 8 and later load it from there`);
  const sample = L.generate(L.gptLanguageModel(run.params, run.config), run.tokenizer.encode('\n'), {
    maxNewTokens: num('sample-tokens'),
    temperature: 0.8,
    topK: 40,
    seed: num('seed'),
  });
  console.log(`\n--- sample (temperature 0.8, top-k 40) ---\n${run.tokenizer.decode(sample.generated)}\n---`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
