/**
 * `npm run bench -- --gpu`: what the course does on this machine's GPU, for a maintainer with one.
 *
 *   1. Starts each GPU backend the library knows (node-gpu: CUDA through @tensorflow/tfjs-node-gpu; webgpu: Dawn
 *      through the npm `webgpu` package), each in its own process, and reports which start and why the others do not.
 *   2. On each that starts, runs the library's numerics checks (NUMERICS below: products, a small GPT's loss and every
 *      gradient, one AdamW step, greedy generation with and without the KV cache) and compares them with the cpu
 *      backend, the reference, within TOLERANCE.
 *   3. Times the baby and the wide GPT's training step there (bench/js-worker.ts, as `npm run bench` does) against
 *      the same machine's CPU default (wasm with the native addon).
 * Writes bench/results/gpu.json (atomically). Where no GPU backend starts it says so, names each reason, and exits
 * with status 1 without measuring anything.
 *
 *   npx tsx bench/gpu.ts [--backends node-gpu,webgpu] [--no-timing]
 * `--backends wasm` runs the same checks on wasm (a dry run of this program on a machine without a GPU).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { RunnerResult } from './common';

const ROOT = path.resolve(__dirname, '..');
// Tests point it elsewhere (HOW_LLMS_GPU_RESULTS) so that a test run never overwrites a maintainer's results.
const RESULTS = process.env.HOW_LLMS_GPU_RESULTS || path.join(__dirname, 'results');
const GPU_BACKENDS = ['node-gpu', 'webgpu'];

/** Largest |gpu − cpu| / (1 + |cpu|) allowed: float32 on a GPU sums in other orders (and TF32 where CUDA allows it). */
export const TOLERANCE = 2e-3;

/** What a numerics child prints: the backend's summary and named arrays of numbers, or why it did not start. */
interface NumericsOutput {
  backend: string;
  summary?: string;
  values?: Record<string, number[]>;
  error?: string;
}

/** The checks, run in a child on the backend HOW_LLMS_BACKEND names: every value the comparison needs. */
async function numerics(): Promise<NumericsOutput> {
  const backend = process.env.HOW_LLMS_BACKEND ?? '';
  let L: typeof import('@how-llms-work/lib');
  let summary: string;
  try {
    L = await import('@how-llms-work/lib');
    summary = (await L.ready()).summary;
  } catch (err) {
    return { backend, error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }
  const { tf } = L;
  const values: Record<string, number[]> = {};
  const rng = new L.Rng(5);
  const random = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
      shape,
    );
  tf.tidy(() => {
    const a = random([64, 48]);
    const b = random([48, 32]);
    const bt = random([32, 48]);
    const q = random([2, 3, 16, 8]);
    const k = random([2, 3, 16, 8]);
    values['matmul'] = Array.from(tf.matMul(a, b).dataSync());
    values['matmul, b transposed'] = Array.from(tf.matMul(a, bt, false, true).dataSync());
    values['batched q @ kᵀ'] = Array.from(tf.matMul(q, k, false, true).dataSync());
  });
  const config = { vocabSize: 17, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 32, dropout: 0 };
  const params = L.initGPT(config, 7);
  const ids = Int32Array.from({ length: 400 }, () => rng.int(config.vocabSize));
  const batch = L.sampleLMBatch(ids, 4, config.blockSize, new L.Rng(9));
  const { loss, grads } = L.lossAndGrads(
    () => L.gptLoss(config)(params, batch, { training: true, step: 0, seed: 0 }),
    params,
  );
  values['GPT loss'] = [loss.dataSync()[0]];
  for (const [name, g] of Object.entries(grads)) values[`gradient of ${name}`] = Array.from(g.dataSync());
  const optimizer = L.createAdamW(params, { weightDecay: 0.1 });
  const { scale, norm } = L.clipScale(grads, 1.0);
  values['gradient norm'] = [norm.dataSync()[0]];
  L.adamwStep(optimizer, params, grads, 1e-2, { gradScale: scale });
  for (const [name, p] of Object.entries(params)) values[`after AdamW, ${name}`] = Array.from(p.dataSync());
  tf.dispose([loss, scale, norm, batch.x, batch.y, ...Object.values(grads)]);
  const model = L.gptLanguageModel(params, config);
  values['greedy tokens, KV cache'] = L.generate(model, [1, 2], {
    maxNewTokens: 8,
    temperature: 0,
    useCache: true,
  }).ids;
  values['greedy tokens, recomputed'] = L.generate(model, [1, 2], {
    maxNewTokens: 8,
    temperature: 0,
    useCache: false,
  }).ids;
  L.disposeAdamW(optimizer);
  L.disposeNamed(params);
  return { backend, summary, values };
}

/** Run this file as a numerics child on `backend`. */
function numericsChild(backend: string): Promise<NumericsOutput> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', __filename, '--child'],
      {
        cwd: ROOT,
        env: { ...process.env, HOW_LLMS_BACKEND: backend },
        encoding: 'utf8',
        timeout: 20 * 60_000,
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as NumericsOutput);
        } catch {
          resolve({
            backend,
            error: `${err ? err.message.split('\n')[0] : 'no output'}: ${stderr.trim().split('\n').pop() ?? ''}`,
          });
        }
      },
    );
  });
}

/** Each check's worst relative difference from the reference; tokens must match exactly. */
export function compare(
  got: Record<string, number[]>,
  want: Record<string, number[]>,
): { name: string; worst: number; ok: boolean }[] {
  return Object.entries(want).map(([name, w]) => {
    const g = got[name];
    if (!g || g.length !== w.length) return { name, worst: Infinity, ok: false };
    let worst = 0;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i] - w[i]) / (1 + Math.abs(w[i])));
    const exact = name.startsWith('greedy tokens');
    return { name, worst, ok: exact ? worst === 0 : worst <= TOLERANCE };
  });
}

/** One training-step runner of the benchmark (baby and wide GPT) on `backend`, with the library's defaults. */
function timeSteps(backend: string, runner: string): Promise<RunnerResult> {
  const tasks = {
    runner,
    quick: false,
    matmul: false,
    train: ['baby', 'wide'],
    generation: false,
    bpe: false,
    converge: false,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'js-worker.ts'), JSON.stringify(tasks)],
      {
        cwd: ROOT,
        env: { ...process.env, HOW_LLMS_BACKEND: backend },
        encoding: 'utf8',
        timeout: 30 * 60_000,
        maxBuffer: 64 << 20,
      },
      (err, stdout) => {
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as RunnerResult);
        } catch {
          resolve({ runner, detail: '', error: err ? err.message.split('\n')[0] : 'no result line' });
        }
      },
    );
  });
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: { backends: { type: 'string' }, 'no-timing': { type: 'boolean', default: false } },
  });
  const backends = flags.backends ? flags.backends.split(',').map((b) => b.trim()) : GPU_BACKENDS;
  console.log(
    `GPU check: trying ${backends.join(', ')} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), each against the cpu backend`,
  );
  const tried = await Promise.all(backends.map(numericsChild));
  const started = tried.filter((t) => t.values);
  for (const t of tried)
    console.log(`  ${t.backend}: ${t.values ? `started (${t.summary})` : `did not start: ${t.error}`}`);
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    tried: tried.map(({ backend, summary, error }) => ({ backend, summary, error })),
  };
  const file = path.join(RESULTS, 'gpu.json');
  if (started.length === 0) {
    console.log(
      `\nNo GPU backend started on this machine, so nothing was checked or timed. This check needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 ` +
        `and @tensorflow/tfjs-node-gpu installed with its binding, or a GPU with a Vulkan driver and the npm package webgpu (README, "Backends and GPUs").`,
    );
    writeAtomically(file, JSON.stringify({ ...report, started: [] }, null, 2));
    console.log(`Wrote ${path.relative(ROOT, file)}`);
    return 1;
  }
  const reference = await numericsChild('cpu');
  if (!reference.values) throw new Error(`the cpu backend, the reference, did not start: ${reference.error}`);
  let failed = false;
  const checks: Record<string, unknown> = {};
  for (const t of started) {
    const result = compare(t.values!, reference.values);
    const bad = result.filter((r) => !r.ok);
    const worst = Math.max(...result.filter((r) => Number.isFinite(r.worst)).map((r) => r.worst));
    console.log(
      `\n${t.backend} against cpu: ${result.length - bad.length} of ${result.length} checks within ${TOLERANCE} (worst ${worst.toExponential(1)})`,
    );
    for (const r of bad)
      console.log(`  ✗ ${r.name}: ${Number.isFinite(r.worst) ? r.worst.toExponential(2) : 'missing or wrong length'}`);
    failed ||= bad.length > 0;
    checks[t.backend] = result;
  }
  report.checks = checks;
  if (!flags['no-timing']) {
    const cpu = await timeSteps('wasm', 'cpu default (wasm)');
    const timed = [cpu];
    for (const t of started) timed.push(await timeSteps(t.backend, t.backend));
    console.log('\nms per training step (× = speed-up over the CPU default):');
    for (const r of timed) {
      const cell = (m: 'baby' | 'wide') => {
        const ms = r.trainStepMs?.[m];
        const base = cpu.trainStepMs?.[m];
        return ms === undefined ? '—' : `${ms.toFixed(1)} ms${base ? ` (${(base / ms).toFixed(2)}×)` : ''}`;
      };
      console.log(
        `  ${r.runner.padEnd(20)} baby ${cell('baby').padStart(20)}   wide ${cell('wide').padStart(20)}${r.error ? `  ERROR: ${r.error}` : ''}`,
      );
    }
    report.timing = timed;
  }
  writeAtomically(file, JSON.stringify({ ...report, started: started.map((t) => t.backend) }, null, 2));
  console.log(`Wrote ${path.relative(ROOT, file)}`);
  return failed ? 1 : 0;
}

if (require.main !== module) {
  // imported (tests use compare): nothing runs
} else if (process.argv.includes('--child')) {
  numerics().then(
    (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
    (err: unknown) =>
      process.stdout.write(
        `${JSON.stringify({ backend: process.env.HOW_LLMS_BACKEND, error: err instanceof Error ? err.message : String(err) })}\n`,
      ),
  );
} else {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
