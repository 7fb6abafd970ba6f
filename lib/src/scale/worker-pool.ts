/**
 * Starting library workers: each `worker_threads` worker is a separate JavaScript engine that loads
 * the library and its own TF.js backend, so workers compute in parallel on separate cores. Under the
 * compiled package the worker runs `lib/dist/scale/*.js`; from TypeScript sources (tests) it registers
 * tsx first so that it can load the `.ts` files.
 */
import * as path from 'node:path';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { WASM_THREADS_ENV } from '../runtime';

/** Where a worker finds a function it needs: a module file and the name it exports. */
export interface ModuleRef {
  /** Absolute path of a `.js` or `.ts` module. */
  module: string;
  /** The export's name. */
  export: string;
  /** JSON-serialisable options passed to the function. */
  options?: unknown;
}

/** The worker script `name` next to this file, with this file's extension (`.ts` from sources, `.js` compiled). */
export function siblingModule(name: string): string {
  return path.join(__dirname, name + path.extname(__filename));
}

// The worker's first code: register tsx when it must load TypeScript, then load the entry module.
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.tsxApi) require(workerData.tsxApi).register();
require(workerData.entry);
`;

function tsxApiFor(files: string[]): string | undefined {
  if (!files.some((f) => f.endsWith('.ts'))) return undefined;
  try {
    return require.resolve('tsx/cjs/api');
  } catch {
    throw new Error(
      `a worker must load TypeScript (${files.find((f) => f.endsWith('.ts'))}) but tsx is not installed: run \`npm install\`, or build the library (\`npx tsc -b lib\`) and use the compiled package`,
    );
  }
}

type Reply = { type: string; id?: number; message?: string; [key: string]: unknown };

/** A worker that answers requests by id; a failure in the worker rejects every pending request. */
export class LibraryWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /**
   * Start `entry` (a worker script of this folder) with `data`; `modules` are the other files it will require.
   * `threads` caps the worker's wasm thread pool, so that N workers share the cores instead of each taking all;
   * `env` adds settings of the worker's own (e.g. the native addon's threads).
   */
  constructor(
    entry: string,
    data: Record<string, unknown>,
    modules: string[] = [],
    threads?: number,
    env: Record<string, string> = {},
  ) {
    const tsxApi = tsxApiFor([entry, ...modules]);
    const wasm = threads === undefined ? {} : { [WASM_THREADS_ENV]: String(threads) };
    env = { ...(process.env as Record<string, string>), ...wasm, ...env };
    this.worker = new Worker(BOOT, { eval: true, workerData: { ...data, entry, tsxApi }, env });
    this.worker.on('message', (reply: Reply) => {
      const next = this.pending.get(reply.id ?? -1);
      if (!next) return;
      this.pending.delete(reply.id!);
      if (reply.type === 'error') next.reject(new Error(`worker: ${reply.message}`));
      else next.resolve(reply);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`worker exited with code ${code}`));
    });
  }

  /** Send one request and wait for its reply. */
  request<T extends Reply>(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Reply) => void, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Stop the worker. */
  async terminate(): Promise<void> {
    this.failure ??= new Error('worker terminated');
    await this.worker.terminate();
  }
}

/** Answer requests in a worker: `handle` returns the reply (or throws, which becomes an error reply with the same id). */
export function serveRequests(
  port: { on(event: 'message', f: (m: any) => void): unknown; postMessage(m: unknown): void },
  handle: (msg: any) => Promise<Record<string, unknown>> | Record<string, unknown>,
): void {
  // One request at a time, in arrival order, even when a handler awaits.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: { id: number }) => {
    queue = queue.then(async () => {
      try {
        port.postMessage({ ...(await handle(msg)), id: msg.id });
      } catch (err) {
        port.postMessage({
          type: 'error',
          id: msg.id,
          message: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
    });
  });
}

/** wasm threads per worker when `workers` workers share this machine's cores (at least 1). */
export function threadsPerWorker(workers: number): number {
  return Math.max(1, Math.floor(os.availableParallelism() / workers));
}

/** Wall-clock milliseconds comparable across threads (each worker's `performance.now()` has its own origin). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
