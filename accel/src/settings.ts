/**
 * Every `HOW_LLMS_*` setting the course reads, read from the environment here and nowhere else.
 *
 * One rule for switches: `1`, `true`, `on`, `yes` turn one on; `0`, `false`, `off`, `no` turn it off; unset or
 * empty leaves the default. Any other value is an error that names the setting and the values it accepts.
 * The environment is read once, on first use; tests and measurements change settings with `withSettings`.
 * (The tooling outside the two packages, scripts/, grading/ and vitest.config.mts, reads its own variables,
 * such as HOW_LLMS_EXERCISES and HOW_LLMS_PYTHON, and says there which ones.)
 */
import * as os from 'node:os';

/** The backends the course knows, fastest first. */
export const BACKEND_PREFERENCE = ['node-gpu', 'node', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

/** The BLAS libraries the native addon can be built with (accel/native/blas_matmul.c). */
export const BLAS_NAMES = ['oneDNN', 'OpenBLAS'] as const;
export type BlasName = (typeof BLAS_NAMES)[number];

/** The settings, parsed. */
export interface Settings {
  /** HOW_LLMS_BACKEND: one backend forced, or undefined to take the fastest that starts. */
  backend: BackendName | undefined;
  /** HOW_LLMS_STOCK_TFJS: every speed patch off (stock TF.js, for comparison); default off. */
  stockTfjs: boolean;
  /** HOW_LLMS_FUSED: the fused kernels; default on (off: the reference formulas run). */
  fused: boolean;
  /** HOW_LLMS_NATIVE_KERNELS: the fused kernels' C versions where the addon is built; default on. */
  nativeKernels: boolean;
  /** HOW_LLMS_NATIVE_MATMUL: the native (BLAS) matrix product where the addon is built; default on. */
  nativeMatMul: boolean;
  /** HOW_LLMS_BLAS: the addon's BLAS for products, `oneDNN` or `OpenBLAS` (any case); undefined: the first built in. */
  blas: BlasName | undefined;
  /** HOW_LLMS_THREADS: the native addon's threads (products and fused kernels), 1 to 64 or `all`; undefined: one per core. */
  threads: number | undefined;
  /** HOW_LLMS_WASM_THREADS: wasm threads, 1 to 8 or `all`; default 1 (the single-threaded build). */
  wasmThreads: number;
  /** HOW_LLMS_PROFILE: `ci` trains briefly, `full` (default) is what a learner runs. */
  profile: 'ci' | 'full';
  /** HOW_LLMS_DATA_DIR: a folder holding verified copies of the datasets, else undefined (download and cache). */
  dataDir: string | undefined;
}

/** The environment variable behind each setting. */
export const SETTING_ENV: Record<keyof Settings, string> = {
  backend: 'HOW_LLMS_BACKEND',
  stockTfjs: 'HOW_LLMS_STOCK_TFJS',
  fused: 'HOW_LLMS_FUSED',
  nativeKernels: 'HOW_LLMS_NATIVE_KERNELS',
  nativeMatMul: 'HOW_LLMS_NATIVE_MATMUL',
  blas: 'HOW_LLMS_BLAS',
  threads: 'HOW_LLMS_THREADS',
  wasmThreads: 'HOW_LLMS_WASM_THREADS',
  profile: 'HOW_LLMS_PROFILE',
  dataDir: 'HOW_LLMS_DATA_DIR',
};

const ON = ['1', 'true', 'on', 'yes'];
const OFF = ['0', 'false', 'off', 'no'];

type Env = Record<string, string | undefined>;

function raw(env: Env, key: keyof Settings): string {
  return (env[SETTING_ENV[key]] ?? '').trim();
}

function invalid(key: keyof Settings, value: string, accepted: string): Error {
  return new Error(
    `${SETTING_ENV[key]}=${value} is not a value it takes; use ${accepted} (or unset it for the default).`,
  );
}

/** A switch: on, off, or the default when unset. */
function flag(env: Env, key: keyof Settings, fallback: boolean): boolean {
  const value = raw(env, key).toLowerCase();
  if (value === '') return fallback;
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  throw invalid(key, raw(env, key), `one of ${[...ON, ...OFF].join(', ')}`);
}

/** A thread count: an integer from 1 to `max`, or `all` (every core Node may use, at most `max`); `fallback` when unset. */
function threads<T extends number | undefined>(env: Env, key: keyof Settings, max: number, fallback: T): number | T {
  const value = raw(env, key).toLowerCase();
  if (value === '') return fallback;
  if (value === 'all') return Math.min(max, os.availableParallelism());
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalid(key, raw(env, key), `an integer from 1 to ${max} or "all"`);
  return n;
}

/** Parse settings from an environment (default: this process's); throws on a value a setting does not take. */
export function readSettings(env: Env = process.env): Settings {
  const backend = raw(env, 'backend');
  if (backend !== '' && backend !== 'auto' && !(BACKEND_PREFERENCE as readonly string[]).includes(backend)) {
    throw invalid('backend', backend, `one of ${BACKEND_PREFERENCE.join(', ')}, or auto`);
  }
  const profile = raw(env, 'profile').toLowerCase() || 'full';
  if (profile !== 'ci' && profile !== 'full') throw invalid('profile', raw(env, 'profile'), 'ci or full');
  const blas = raw(env, 'blas');
  const blasName = BLAS_NAMES.find((name) => name.toLowerCase() === blas.toLowerCase());
  if (blas !== '' && !blasName) throw invalid('blas', blas, BLAS_NAMES.join(' or '));
  return {
    backend: backend === '' || backend === 'auto' ? undefined : (backend as BackendName),
    stockTfjs: flag(env, 'stockTfjs', false),
    fused: flag(env, 'fused', true),
    nativeKernels: flag(env, 'nativeKernels', true),
    nativeMatMul: flag(env, 'nativeMatMul', true),
    blas: blasName,
    threads: threads(env, 'threads', 64, undefined),
    wasmThreads: threads(env, 'wasmThreads', 8, 1),
    profile,
    dataDir: raw(env, 'dataDir') || undefined,
  };
}

let current: Settings | undefined;
let version = 0;

/** The settings in force: the environment's, read on first use, with any `withSettings` changes. */
export function settings(): Readonly<Settings> {
  current ??= readSettings(process.env);
  return current;
}

/** A number that changes whenever the settings do (for answers kept until they change). */
export function settingsVersion(): number {
  return version;
}

/** Change some settings for the rest of the process (a measurement's or test's switch); returns the previous values. */
export function changeSettings(change: Partial<Settings>): Partial<Settings> {
  const before = settings();
  const previous = Object.fromEntries(
    Object.keys(change).map((k) => [k, before[k as keyof Settings]]),
  ) as Partial<Settings>;
  current = { ...before, ...change };
  version += 1;
  return previous;
}

/** Run f with some settings changed, then restore them (also when f throws or its promise rejects). */
export function withSettings<T>(change: Partial<Settings>, f: () => T): T {
  const previous = changeSettings(change);
  let result: T;
  try {
    result = f();
  } catch (err) {
    changeSettings(previous);
    throw err;
  }
  if (result instanceof Promise) return result.finally(() => changeSettings(previous)) as T;
  changeSettings(previous);
  return result;
}
