/**
 * Run TF.js 4.22's multi-threaded wasm build in Node.
 *
 * Stock TF.js forces the single-threaded build in Node for three reasons, each answered here,
 * only while the wasm backend initialises:
 * 1. its WASM_HAS_MULTITHREAD_SUPPORT flag answers false in Node: we set it;
 * 2. it starts its workers from `blob:` URLs, which Node's Worker cannot open: we write the
 *    worker script to a file (atomically, named by its content) and hand out that path, with the
 *    worker told to load the emscripten module with `require` instead of from a blob;
 * 3. it caps its thread pool at half the logical cores (it assumes hyper-threading): we let it
 *    see twice the cores, so the count we ask for is the count it runs.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SETTING_ENV, settings, type Settings } from './settings';
import * as tf from '@tensorflow/tfjs-core';

/** Environment variable for the wasm thread count: 1 (default, the single-threaded build), 2 to 8, or `all`. */
export const WASM_THREADS_ENV = SETTING_ENV.wasmThreads;

/**
 * The thread count to ask for: `HOW_LLMS_WASM_THREADS` (`all` = every core Node may use, at most 8,
 * the worker pool's size), else 1. Threads are opt-in: each process then starts 8 workers (seconds
 * under load), and on the shared 2-core machine the benchmark ran on, 2 threads were not faster.
 */
export function wasmThreadCount(s: Readonly<Settings> = settings()): number {
  return s.wasmThreads;
}

/** Write the worker script once per content; a rename makes it appear whole to concurrent processes. */
function workerScriptPath(): string {
  const { wasmWorkerContents } =
    require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
      wasmWorkerContents: string;
    };
  const factory = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  // The contents hold "\n" escapes that the export turned into real newlines inside string literals (TF.js undoes it the same way).
  const script =
    wasmWorkerContents.replace(/\n/g, '\\n') +
    `\nvar WasmBackendModuleThreadedSimd = require(${JSON.stringify(factory)});` +
    '\nglobal.importScripts = function () {}; // the module is already loaded by require\n';
  const hash = crypto.createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `how-llms-tfjs-wasm-worker-${hash}.js`);
  if (!fs.existsSync(file)) {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script);
    fs.renameSync(temp, file);
  }
  return file;
}

/**
 * Initialise TF.js's wasm backend with `threads` threads: `init` must be the call that creates it
 * (`tf.setBackend('wasm')`). Returns the thread count the backend reports.
 */
export async function initWasmThreaded<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setThreadsCount(n: number): void };
  if (threads <= 1) return init();
  const file = workerScriptPath();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const urls = URL as unknown as { createObjectURL(blob: Blob): string };
  const createObjectURL = urls.createObjectURL;
  const nodeOs = require('os') as { cpus: typeof os.cpus };
  const cpus = nodeOs.cpus;
  // The worker script is the one 'application/javascript' blob TF.js makes; anything else passes through.
  urls.createObjectURL = (blob: Blob) => (blob.type === 'application/javascript' ? file : createObjectURL(blob));
  nodeOs.cpus = () => {
    const list = cpus();
    return [...list, ...list];
  };
  try {
    const result = await init();
    unrefWorkers();
    return result;
  } finally {
    urls.createObjectURL = createObjectURL;
    nodeOs.cpus = cpus;
  }
}

/** Idle pool workers must not keep Node alive after a script's last line. */
function unrefWorkers(): void {
  const backend = tf.findBackend('wasm') as unknown as {
    wasm?: { PThread?: Record<string, { unref?: () => void }[]> };
  } | null;
  const pool = backend?.wasm?.PThread;
  if (!pool) return;
  for (const list of [pool.unusedWorkers, pool.runningWorkers]) for (const worker of list ?? []) worker.unref?.();
}

/** Threads the wasm backend runs on now (1 when single-threaded or not initialised). */
export function wasmThreadsInUse(): number {
  try {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
    return Math.max(1, wasm.getThreadsCount());
  } catch {
    return 1;
  }
}
