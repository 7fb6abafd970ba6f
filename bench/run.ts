/**
 * `npm run bench`: the course library on every backend this machine has, at 1, 2, … threads up to its cores,
 * stock TF.js 4.22, today's PyTorch 2.x (see torch-python.ts) at the same thread counts, and Debian's PyTorch
 * (python3-torch) at 1 thread and every core, side by side, with identical configurations and initial weights.
 * Prints one table, the scaling table, the targets and README's table, and writes bench/results/latest.json
 * (atomically).
 *
 *   npm run bench                 matmul, training steps (baby and wide GPT), scaling, generation, BPE (about 10 minutes)
 *   npm run bench -- --quick      a short smoke run: baby GPT only, fewer repetitions, shorter texts
 *   npm run bench -- --converge   also train the baby GPT to val loss 1.88 on Tiny Shakespeare, ours against
 *                                 PyTorch 2.x at 1 thread and at every core (a few minutes each)
 *   npm run bench -- --gpu        the GPU check instead (bench/gpu.ts)
 *
 * Each runner is its own process, one after another, so that they never share the cores.
 * Timings on a machine that other work shares are noisy: the table prints the load average.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MODELS, trainStepFlops, yardstickShape, type RunnerResult } from './common';
import type { WorkerTasks } from './js-worker';
import { findTorchPythons, type TorchPython } from './torch-python';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
interface Runner {
  name: string;
  kind: 'js' | 'torch';
  env?: Record<string, string | undefined>;
  threads?: number;
  /** The Python that runs a torch runner, or why none does. */
  python?: TorchPython | { missing: string };
  tasks: Omit<WorkerTasks, 'runner'>;
}

/** Run a runner; `env` adds to this process's environment, and a key set to undefined is removed from it. */
function runChild(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<RunnerResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: ROOT, env: childEnv, maxBuffer: 64 << 20, timeout: timeoutMs },
      (err, stdout) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as RunnerResult);
        } catch {
          resolve({
            runner: args[args.length - 1],
            detail: '',
            error: err ? err.message.split('\n')[0] : `no result line: ${line.slice(0, 200)}`,
          });
        }
      },
    );
    child.stderr?.pipe(process.stderr);
  });
}

/** Backends that start here: asked of the library in a child that has no threads or patches to set up. */
async function availableJsBackends(): Promise<string[]> {
  const script = "require('@how-llms-work/lib').availableBackends().then((b) => console.log(JSON.stringify(b)))";
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, HOW_LLMS_STOCK_TFJS: '1', HOW_LLMS_WASM_THREADS: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as string[];
}

/** The thread counts of the scaling table: 1, 2, 4, 8, … below the core count, and the core count. */
export function threadCounts(cores: number): number[] {
  const counts: number[] = [];
  for (let t = 1; t < cores; t *= 2) counts.push(t);
  counts.push(Math.max(1, cores));
  return counts;
}

/** The library's default thread count in a child (one per physical core), asked of the accelerator itself. */
function defaultThreads(): number {
  const script = "console.log(require('@how-llms-work/accel').defaultThreadCount())";
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Number(out.trim().split('\n').pop());
}

interface Flags {
  quick: boolean;
  converge: boolean;
  slow: boolean;
  models?: ('baby' | 'wide')[];
}

/** `ours-Nt`: the course's default runner at N threads. */
const oursAt = (t: number) => `ours-${t}t`;

/** `ours-dp-Nw`: the course's data-parallel training over N worker threads, one thread each. */
const oursDataParallel = (n: number) => `ours-dp-${n}w`;

function runners(flags: Flags, backends: string[], cores: number): Runner[] {
  const train: ('baby' | 'wide')[] = flags.models ?? (flags.quick ? ['baby'] : ['baby', 'wide']);
  const base = { quick: flags.quick, matmul: true, train, generation: true, bpe: false, converge: false };
  // Slow runners (stock TF.js, plain JavaScript) time the baby GPT only, unless --slow: a wide step takes them minutes.
  const slowBase = {
    ...base,
    slow: true,
    generation: flags.slow,
    train: flags.slow ? train : train.filter((m) => m === 'baby'),
  };
  const list: Runner[] = [];
  const counts = threadCounts(cores);
  const torch = findTorchPythons();
  for (const backend of backends) {
    if (backend === 'wasm') {
      // The library's default (the addon's threads: one per core), then the same at each other thread count.
      list.push({
        name: 'ours-wasm',
        kind: 'js',
        env: { HOW_LLMS_BACKEND: 'wasm', HOW_LLMS_WASM_THREADS: '1', HOW_LLMS_THREADS: '' },
        tasks: { ...base, bpe: true, converge: flags.converge, weightsDir: RESULTS },
      });
      for (const t of counts.filter((c) => c !== cores)) {
        list.push({
          name: oursAt(t),
          kind: 'js',
          env: { HOW_LLMS_BACKEND: 'wasm', HOW_LLMS_WASM_THREADS: '1', HOW_LLMS_THREADS: String(t) },
          tasks: { ...base, matmul: false, generation: false },
        });
      }
      // Data parallelism: N worker threads, each a whole model on one thread, each taking B/N rows of every batch.
      for (const n of counts.filter((c) => c > 1)) {
        list.push({
          name: oursDataParallel(n),
          kind: 'js',
          env: { HOW_LLMS_BACKEND: 'wasm', HOW_LLMS_WASM_THREADS: '1', HOW_LLMS_THREADS: '1' },
          tasks: {
            ...base,
            matmul: false,
            generation: false,
            workers: n,
            converge: flags.converge && n === cores,
          },
        });
      }
      // The addon with OpenBLAS instead of its default BLAS (oneDNN where built in; an error row where OpenBLAS is not).
      list.push({
        name: 'ours-openblas',
        kind: 'js',
        env: { HOW_LLMS_BACKEND: 'wasm', HOW_LLMS_WASM_THREADS: '1', HOW_LLMS_THREADS: '', HOW_LLMS_BLAS: 'openblas' },
        tasks: { ...base, generation: false },
      });
      // This machine pins OpenBLAS's kernels (OPENBLAS_CORETYPE, e.g. Haswell for safety): what OpenBLAS picks itself, as on a learner's machine.
      if (process.env.OPENBLAS_CORETYPE) {
        list.push({
          name: 'ours-blas-auto',
          kind: 'js',
          env: {
            HOW_LLMS_BACKEND: 'wasm',
            HOW_LLMS_WASM_THREADS: '1',
            HOW_LLMS_THREADS: '',
            HOW_LLMS_BLAS: 'openblas',
            OPENBLAS_CORETYPE: undefined,
          },
          tasks: { ...base, generation: false },
        });
      }
      // What a machine without the native addon gets (no compiler or OpenBLAS, macOS, Windows): wasm alone.
      list.push({
        name: 'ours-wasm-only',
        kind: 'js',
        env: {
          HOW_LLMS_BACKEND: 'wasm',
          HOW_LLMS_WASM_THREADS: '1',
          HOW_LLMS_NATIVE_MATMUL: '0',
          HOW_LLMS_NATIVE_KERNELS: '0',
        },
        tasks: { ...base, generation: false, train: train.filter((m) => m === 'baby') },
      });
      list.push({
        name: 'stock-wasm',
        kind: 'js',
        env: { HOW_LLMS_BACKEND: 'wasm', HOW_LLMS_STOCK_TFJS: '1' },
        tasks: slowBase,
      });
    } else if (backend === 'cpu') {
      // Stock TF.js's plain JavaScript backend (the library's fused kernels also run on cpu unless switched off).
      list.push({
        name: 'cpu',
        kind: 'js',
        env: { HOW_LLMS_BACKEND: 'cpu', HOW_LLMS_STOCK_TFJS: '1' },
        tasks: slowBase,
      });
    } else {
      list.push({ name: `ours-${backend}`, kind: 'js', env: { HOW_LLMS_BACKEND: backend }, tasks: base });
    }
  }
  const torchTasks = { ...base, generation: false };
  // Today's PyTorch at every thread count of the scaling table; the time to a validation loss at 1 thread and at every core.
  for (const t of counts) {
    const converge = flags.converge && (t === 1 || t === cores);
    list.push({
      name: `torch-${t}t`,
      kind: 'torch',
      threads: t,
      python: torch.modern ?? { missing: torch.modernMissing },
      tasks: { ...torchTasks, converge },
    });
  }
  // Debian's PyTorch (1.13 with OpenBLAS), as earlier versions of this benchmark compared: 1 thread and every core.
  for (const t of [...new Set([1, cores])]) {
    list.push({
      name: `torch-debian-${t}t`,
      kind: 'torch',
      threads: t,
      python: torch.debian ?? { missing: torch.debianMissing },
      tasks: torchTasks,
    });
  }
  return list;
}

async function run(r: Runner, quick: boolean): Promise<RunnerResult> {
  const timeoutMs = (quick ? 15 : 90) * 60_000;
  if (r.kind === 'js') {
    const args = [
      '--import',
      'tsx',
      path.join(__dirname, 'js-worker.ts'),
      JSON.stringify({ runner: r.name, ...r.tasks }),
    ];
    return runChild(process.execPath, args, r.env ?? {}, timeoutMs);
  }
  if (!r.python || 'missing' in r.python)
    return {
      runner: r.name,
      detail: '',
      error: r.python && 'missing' in r.python ? r.python.missing : 'no Python with torch',
    };
  const python = r.python.python;
  const models = Object.fromEntries(
    Object.entries(MODELS).map(([k, m]) => [k, { ...m, yardstick: yardstickShape(m) }]),
  );
  const dataDir = process.env.HOW_LLMS_DATA_DIR;
  const textPath = dataDir
    ? path.join(dataDir, 'tinyshakespeare', 'input.txt')
    : path.join(ROOT, 'datasets', '.cache', 'tinyshakespeare', 'input.txt');
  const tasks = { runner: r.name, ...r.tasks, weightsDir: RESULTS, models, textPath };
  // OpenBLAS sizes its pool from these at load (torch.set_num_threads does not touch it): N threads means N in BLAS too.
  const threads = String(r.threads);
  const env = { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  return runChild(
    python,
    [path.join(__dirname, 'torch', 'bench.py'), '--threads', threads, '--tasks', JSON.stringify(tasks)],
    env,
    timeoutMs,
  );
}

// ---- the table -------------------------------------------------------------------------------

const fmt = (v: number | undefined, digits = 1) =>
  v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(digits);

function cell(value: number | undefined, reference: number | undefined, unit: string, higherIsBetter = false): string {
  if (value === undefined) return '—';
  if (reference === undefined || reference === 0) return `${fmt(value)}${unit}`;
  const ratio = higherIsBetter ? reference / value : value / reference; // > 1: slower than ours
  return `${fmt(value)}${unit} (${ratio.toFixed(ratio >= 10 ? 0 : 1)}×)`;
}

function mfu(r: RunnerResult, model: 'baby' | 'wide'): number | undefined {
  const ms = r.trainStepMs?.[model];
  const rate = r.matmulGflops?.[model];
  if (!ms || !rate) return undefined;
  return trainStepFlops(MODELS[model]) / (ms * 1e6) / rate;
}

function table(results: RunnerResult[]): string {
  const ours = results.find((r) => r.runner === 'ours-wasm') ?? results[0];
  const rows: [string, (r: RunnerResult) => string][] = [];
  for (const name of Object.keys(ours.matmul ?? {})) {
    rows.push([`matmul ${name}`, (r) => cell(r.matmul?.[name], ours.matmul?.[name], ' ms')]);
  }
  for (const model of ['baby', 'wide'] as const) {
    if (!results.some((r) => r.trainStepMs?.[model] !== undefined)) continue;
    const { batchSize, config } = MODELS[model];
    const tokens = batchSize * config.blockSize;
    rows.push([
      `${model}: matmul GFLOP/s (yardstick)`,
      (r) => cell(r.matmulGflops?.[model], ours.matmulGflops?.[model], '', true),
    ]);
    rows.push([
      `${model}: ms per training step`,
      (r) => cell(r.trainStepMs?.[model], ours.trainStepMs?.[model], ' ms'),
    ]);
    rows.push([
      `${model}: tokens/s`,
      (r) => fmt(r.trainStepMs?.[model] ? (tokens * 1000) / r.trainStepMs[model] : undefined, 0),
    ]);
    rows.push([
      `${model}: MFU (own matmul rate)`,
      (r) => (mfu(r, model) === undefined ? '—' : `${(mfu(r, model)! * 100).toFixed(0)}%`),
    ]);
    rows.push([`${model}: loss at step 2`, (r) => fmt(r.trainLoss?.[model], 4)]);
  }
  rows.push([
    'generate, KV cache',
    (r) => (r.generation ? cell(r.generation.cachedMs, ours.generation?.cachedMs, ' ms') : '—'),
  ]);
  rows.push([
    'generate, recompute',
    (r) => (r.generation ? cell(r.generation.recomputeMs, ours.generation?.recomputeMs, ' ms') : '—'),
  ]);
  rows.push([
    'generate, cache speed-up',
    (r) => (r.generation ? `${(r.generation.recomputeMs / r.generation.cachedMs).toFixed(1)}×` : '—'),
  ]);
  rows.push([
    'converge: s to val 1.88',
    (r) =>
      r.converge?.reachedAtMs
        ? cell(
            r.converge.reachedAtMs / 1000,
            ours.converge?.reachedAtMs ? ours.converge.reachedAtMs / 1000 : undefined,
            ' s',
          )
        : r.converge
          ? `not reached (${fmt(r.converge.finalVal, 3)})`
          : '—',
  ]);
  const whole = (r: RunnerResult) => r.converge?.evals.at(-1)?.ms;
  rows.push([
    'converge: s for all 2,000 steps',
    (r) => (whole(r) ? cell(whole(r)! / 1000, whole(ours) ? whole(ours)! / 1000 : undefined, ' s') : '—'),
  ]);
  rows.push(['converge: final val loss', (r) => fmt(r.converge?.finalVal, 3)]);
  const header = ['', ...results.map((r) => r.runner)];
  const body = rows.map(([label, f]) => [label, ...results.map(f)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

interface Target {
  name: string;
  value?: number;
  goal: string;
  met?: boolean;
}

type Converge = NonNullable<RunnerResult['converge']>;

/** ms at the first evaluation with val ≤ threshold, or undefined. */
function msToVal(c: Converge, threshold: number): number | undefined {
  return c.evals.find((e) => e.val <= threshold)?.ms;
}

/**
 * Both runners' time to val 1.88; where either never reaches it (the 2,000-step recipe ends near 1.89, as
 * nanoGPT's own run ends at 1.8857), their time to the worse of the two final losses, which both reached.
 */
export function convergeComparison(
  ours: Converge,
  torch: Converge,
): { threshold: number; oursMs?: number; torchMs?: number } {
  const threshold =
    ours.reachedAtMs && torch.reachedAtMs ? 1.88 : Math.ceil(Math.max(ours.finalVal, torch.finalVal) * 1000) / 1000;
  return { threshold, oursMs: msToVal(ours, threshold), torchMs: msToVal(torch, threshold) };
}

/** ms per step of model at each thread count: ours (the default runner at the core count) and today's PyTorch. */
export function scaling(
  results: RunnerResult[],
  counts: number[],
  cores: number,
  model: 'baby' | 'wide',
): { threads: number; ours?: number; dataParallel?: number; torch?: number }[] {
  const by = (name: string) => results.find((r) => r.runner === name);
  const pool = (t: number) => by(t === cores ? 'ours-wasm' : oursAt(t))?.trainStepMs?.[model];
  return counts.map((t) => ({
    threads: t,
    ours: pool(t),
    // One worker is one thread training alone: the pool's 1-thread runner.
    dataParallel: t === 1 ? pool(1) : by(oursDataParallel(t))?.trainStepMs?.[model],
    torch: by(`torch-${t}t`)?.trainStepMs?.[model],
  }));
}

/** The course's faster way at `threads` cores, data-parallel workers or the thread pool: its ms per step and which. */
export function oursBest(row: { ours?: number; dataParallel?: number }, threads: number): { ms?: number; how: string } {
  const { ours, dataParallel } = row;
  if (dataParallel !== undefined && (ours === undefined || dataParallel < ours))
    return { ms: dataParallel, how: threads === 1 ? '1 thread' : `${threads} data-parallel workers` };
  return { ms: ours, how: threads === 1 ? '1 thread' : `the ${threads}-thread pool` };
}

/** The scaling table: ms per step and the speed-up over 1 thread, ours and PyTorch 2.x, for each model measured. */
function scalingTable(results: RunnerResult[], counts: number[], cores: number, models: ('baby' | 'wide')[]): string {
  const header = ['threads'];
  for (const m of models) header.push(`ours ${m}, thread pool`, `ours ${m}, data-parallel`, `PyTorch ${m}`);
  const rows = counts.map((t, i) => {
    const row = [String(t)];
    for (const m of models) {
      const s = scaling(results, counts, cores, m);
      const one = s[0];
      const at = s[i];
      const speed = (v?: number, base?: number) => (v && base ? ` (${(base / v).toFixed(2)}×)` : '');
      row.push(
        `${fmt(at.ours)} ms${speed(at.ours, one.ours)}`,
        `${fmt(at.dataParallel)} ms${speed(at.dataParallel, one.dataParallel)}`,
        `${fmt(at.torch)} ms${speed(at.torch, one.torch)}`,
      );
    }
    return row;
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** PyTorch 2.x's fastest thread count for a model: its runner and ms per step. */
function torchBest(results: RunnerResult[], model: 'baby' | 'wide'): RunnerResult | undefined {
  const torch = results.filter((r) => /^torch-\d+t$/.test(r.runner) && r.trainStepMs?.[model] !== undefined);
  return torch.sort((a, b) => a.trainStepMs![model] - b.trainStepMs![model])[0];
}

function targets(results: RunnerResult[], counts: number[], cores: number): Target[] {
  const by = (name: string) => results.find((r) => r.runner === name);
  const ours = by('ours-wasm');
  const stock = by('stock-wasm');
  const list: Target[] = [];
  for (const model of ['baby', 'wide'] as const) {
    const best = torchBest(results, model);
    // The course at every core: the faster of the thread pool and the data-parallel workers (train:gpt's choice).
    const s = scaling(results, counts, cores, model);
    const mine = oursBest(s[s.length - 1], cores);
    const ratio = mine.ms && best ? mine.ms / best.trainStepMs![model] : undefined;
    list.push({
      name: `${model} step (ours: ${mine.how}) vs PyTorch 2.x at its best thread count (${best?.runner ?? 'not run'}) (×)`,
      value: ratio,
      goal: '≤ 1.0',
      met: ratio === undefined ? undefined : ratio <= 1.0,
    });
  }
  if (counts.includes(2)) {
    for (const model of ['baby', 'wide'] as const) {
      const s = scaling(results, counts, cores, model);
      const [one, two] = [s[0], s.find((x) => x.threads === 2)!];
      const mine = oursBest(two, 2);
      const oursUp = one.ours && mine.ms ? one.ours / mine.ms : undefined;
      const torchUp = one.torch && two.torch ? one.torch / two.torch : undefined;
      const goal = torchUp === undefined ? "≥ PyTorch's (not measured)" : `≥ PyTorch's ${torchUp.toFixed(2)}`;
      list.push({
        name: `${model} 2-thread speed-up (ours: ${mine.how}) (×)`,
        value: oursUp,
        goal,
        met: oursUp === undefined || torchUp === undefined ? undefined : oursUp >= torchUp,
      });
    }
  }
  const speedup =
    ours?.trainStepMs?.baby && stock?.trainStepMs?.baby ? stock.trainStepMs.baby / ours.trainStepMs.baby : undefined;
  list.push({
    name: 'baby step vs stock TF.js wasm (×)',
    value: speedup,
    goal: '≥ 5',
    met: speedup === undefined ? undefined : speedup >= 5,
  });
  for (const model of ['baby', 'wide'] as const) {
    const m = ours ? mfu(ours, model) : undefined;
    list.push({
      name: `${model} MFU vs own matmul rate (%)`,
      value: m === undefined ? undefined : m * 100,
      goal: '≥ 60',
      met: m === undefined ? undefined : m >= 0.6,
    });
  }
  const gen = ours?.generation ? ours.generation.recomputeMs / ours.generation.cachedMs : undefined;
  list.push({
    name: `cached vs recompute generation, ${ours?.generation?.tokens ?? 256} tokens (×)`,
    value: gen,
    goal: '≥ 5',
    met: gen === undefined ? undefined : gen >= 5,
  });
  const bpe = ours?.bpe ? ours.bpe.encodeMBps / ours.bpe.gptTokenizerMBps : undefined;
  list.push({
    name: 'BPE encode vs gpt-tokenizer (× throughput)',
    value: bpe,
    goal: '≥ 1',
    met: bpe === undefined ? undefined : bpe >= 1,
  });
  const oursConverging = [ours, by(oursDataParallel(cores))].filter((r) => r?.converge) as RunnerResult[];
  for (const torch of results.filter((r) => /^torch-\d+t$/.test(r.runner) && r.converge))
    for (const mine of oursConverging) {
      const { threshold, oursMs, torchMs } = convergeComparison(mine.converge!, torch.converge!);
      const conv = oursMs && torchMs ? oursMs / torchMs : undefined;
      const what =
        threshold === 1.88 ? 'val 1.88' : `val ${threshold.toFixed(3)} (neither reached 1.88 in the 2,000 steps)`;
      list.push({
        name: `time to ${what}, ${mine.runner} vs PyTorch 2.x, ${torch.runner.replace('torch-', '')} (×)`,
        value: conv,
        goal: '≤ 1.0',
        met: conv === undefined ? undefined : conv <= 1.0,
      });
    }
  return list;
}

/** README's "How fast" table, in Markdown, from this run: a row per runner that trained the baby GPT. */
function readmeTable(results: RunnerResult[]): string {
  const { batchSize, config } = MODELS.baby;
  const tokens = batchSize * config.blockSize;
  const lines = [
    '| runner | what runs | baby GPT, ms per step | tokens per second | wide GPT, ms per step | 2,000 steps to val loss |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const baby = r.trainStepMs?.baby;
    if (baby === undefined) continue;
    const wide = r.trainStepMs?.wide;
    const conv = r.converge?.evals.at(-1)?.ms;
    const what = r.detail.replace(/\|/g, '/').replace(/^TF\.js backend: /, '');
    const num = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: v >= 100 ? 0 : 1 });
    lines.push(
      `| ${r.runner} | ${what} | ${num(baby)} | ${num((tokens * 1000) / baby)} | ${wide === undefined ? '' : num(wide)} | ${conv === undefined ? '' : `${num(conv / 1000)} s (${fmt(r.converge!.finalVal, 3)})`} |`,
    );
  }
  return lines.join('\n');
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      converge: { type: 'boolean', default: false },
      slow: { type: 'boolean', default: false },
      gpu: { type: 'boolean', default: false },
      runners: { type: 'string' },
      models: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench -- [--quick] [--converge] [--slow] [--gpu] [--runners ours-wasm,torch-1t,...] [--models baby,wide]   (see bench/README.md)',
    );
    return;
  }
  if (values.gpu) {
    // The GPU check is its own program: it starts each GPU backend, checks its numbers against cpu, and times it.
    const gpu = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'gpu.ts')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    process.exitCode = gpu.status ?? 1;
    return;
  }
  const models = values.models?.split(',').map((m) => m.trim()) as ('baby' | 'wide')[] | undefined;
  for (const m of models ?? []) if (!(m in MODELS)) throw new Error(`--models takes baby and/or wide, got ${m}`);
  const flags: Flags = { quick: values.quick!, converge: values.converge!, slow: values.slow!, models };
  fs.mkdirSync(RESULTS, { recursive: true });
  // The runners import the compiled library.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'accel', 'lib'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const backends = await availableJsBackends();
  const cores = defaultThreads();
  const counts = threadCounts(cores);
  const load = os.loadavg();
  const started = performance.now();
  console.log(
    `Benchmark${flags.quick ? ' (--quick)' : ''}${flags.converge ? ' (--converge)' : ''}: backends ${backends.join(', ')}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ` +
      `${cores} physical cores, threads ${counts.join(', ')}; OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset: OpenBLAS picks)'}; load ${load.map((l) => l.toFixed(1)).join(' ')}`,
  );
  const results: RunnerResult[] = [];
  // The first runner writes the initial weights PyTorch loads, so ours-wasm goes first and torch last.
  const all = runners(flags, backends, cores);
  const wanted = values.runners?.split(',').map((n) => n.trim()) ?? all.map((r) => r.name);
  const unknown = wanted.filter((n) => !all.some((r) => r.name === n));
  if (unknown.length)
    throw new Error(`unknown runner ${unknown.join(', ')}: this machine has ${all.map((r) => r.name).join(', ')}`);
  for (const r of all.filter((x) => wanted.includes(x.name))) {
    console.log(`- ${r.name} (${((performance.now() - started) / 1000).toFixed(0)} s in)`);
    results.push(await run(r, flags.quick));
  }
  console.log('');
  for (const r of results) console.log(`${r.runner}: ${r.detail}${r.error ? `  ERROR: ${r.error}` : ''}`);
  console.log(
    '\nTimes with (×) are relative to ours-wasm: 5.0× = five times slower; GFLOP/s (×) = ours is that many times faster.\n',
  );
  console.log(table(results));
  const trained = (['baby', 'wide'] as const).filter((m) => results.some((r) => r.trainStepMs?.[m] !== undefined));
  console.log(
    `\nScaling: ms per training step at each thread count (× = speed-up over 1 thread); ours at ${cores} is ours-wasm, the default.\n`,
  );
  console.log(scalingTable(results, counts, cores, trained));
  const goals = targets(results, counts, cores);
  console.log('\nTargets:');
  for (const t of goals)
    console.log(
      `  ${t.met === undefined ? '·' : t.met ? '✓' : '✗'} ${t.name}: ${t.value === undefined ? 'not measured' : t.value.toFixed(2)} (goal ${t.goal})`,
    );
  console.log("\nREADME's table (Markdown):\n");
  console.log(readmeTable(results));
  const loadAfter = os.loadavg();
  // The benchmark itself keeps up to every core busy (the threaded runners): more than that is someone else's work.
  const busy = Math.max(load[0], loadAfter[0]) > os.cpus().length;
  const verdict = busy
    ? 'above the CPU count: other work inflated these timings'
    : 'no more than the CPU count: the benchmark had the machine';
  console.log(
    `\nLoad average before ${load[0].toFixed(1)}, after ${loadAfter[0].toFixed(1)} on ${os.cpus().length} CPUs: ${verdict}. The run took ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
  );
  const report = {
    date: new Date().toISOString(),
    flags,
    machine: {
      cpus: os.cpus().length,
      physicalCores: cores,
      model: os.cpus()[0]?.model,
      openblasCoretype: process.env.OPENBLAS_CORETYPE ?? null,
      loadBefore: load,
      loadAfter,
    },
    results,
    scaling: Object.fromEntries(trained.map((m) => [m, scaling(results, counts, cores, m)])),
    targets: goals,
  };
  writeAtomically(path.join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
  console.log(`Wrote ${path.relative(ROOT, path.join(RESULTS, 'latest.json'))}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
