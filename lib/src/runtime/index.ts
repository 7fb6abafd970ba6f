/**
 * Starting TF.js: `await ready()` before any tensor work. It asks the accelerator (the workspace package
 * `@how-llms-work/accel`) to choose the fastest backend that starts here, or the one `HOW_LLMS_BACKEND` names,
 * and registers the accelerator's faster `ops` (lib/src/ops). The rest of the library never asks which backend runs.
 * The accelerator's own controls (speed patches, native kernels, threads) are imported from `@how-llms-work/accel`.
 */
import * as accel from '@how-llms-work/accel';
import { registerOps } from '../ops';

export { BACKEND_PREFERENCE, WASM_THREADS_ENV, tf, type BackendInfo, type BackendName } from '@how-llms-work/accel';
// Every HOW_LLMS_* setting is read in one module (accel/src/settings.ts), the accelerator's and the library's alike.
export { SETTING_ENV, settings, withSettings, type Settings } from '@how-llms-work/accel';

/** Resolve once the backend is chosen and the faster ops are registered; the first call chooses. */
export async function ready(): Promise<accel.BackendInfo> {
  const info = await accel.ready();
  registerOps(accel.fastOps);
  return info;
}

/** Select a backend now: `forced` (or `HOW_LLMS_BACKEND`) if given, else the fastest that starts (a worker process does). */
export async function selectBackend(forced?: accel.BackendName): Promise<accel.BackendInfo> {
  const info = await accel.selectBackend(forced);
  registerOps(accel.fastOps);
  return info;
}

/** Switch to a named backend now (tests run the same code on `wasm` and `cpu`). */
export async function useBackend(name: accel.BackendName): Promise<accel.BackendInfo> {
  const info = await accel.useBackend(name);
  registerOps(accel.fastOps);
  return info;
}

/** The backends that start on this machine, fastest first (tries each; leaves the current one active). */
export function availableBackends(): Promise<accel.BackendName[]> {
  return accel.availableBackends();
}
