/**
 * The switch for every change this library makes to TF.js's own behaviour for speed:
 * the fast-path matrix product (wasm-matmul.ts) and the threaded wasm build (wasm-threads.ts).
 *
 * They are written against TF.js 4.22's internals, so they switch themselves off, with a
 * one-line notice, on any other version. `HOW_LLMS_STOCK_TFJS=1` switches them off too, so the
 * benchmark can measure stock TF.js on the same machine. Kernels TF.js lacks (wasm-kernels.ts)
 * are not speed patches: training needs them, so they stay on either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SETTING_ENV, settings, type Settings } from './settings';

/** Environment variable that turns every speed patch off (`1`): stock TF.js, for comparison. */
export const STOCK_TFJS_ENV = SETTING_ENV.stockTfjs;

/** The TF.js minor version the patches were written and tested against. */
export const PATCHED_TFJS_VERSION = '4.22';

let noticeShown = false;

/** The installed tfjs-core and tfjs-backend-wasm versions. */
export function installedTfjsVersions(): { core: string; wasm: string } {
  let wasm = 'not installed';
  try {
    wasm = (require('@tensorflow/tfjs-backend-wasm') as { version_wasm: string }).version_wasm;
  } catch {
    // no wasm backend: nothing to patch
  }
  return { core: tf.version_core, wasm };
}

/** Why the speed patches are off, or undefined when they apply (TF.js 4.22.x and no HOW_LLMS_STOCK_TFJS). */
export function speedPatchesOffReason(
  versions: { core: string; wasm: string } = installedTfjsVersions(),
  s: Readonly<Settings> = settings(),
): string | undefined {
  if (s.stockTfjs) return `${STOCK_TFJS_ENV}=1`;
  const { core, wasm } = versions;
  const ok = (v: string) => v.startsWith(`${PATCHED_TFJS_VERSION}.`);
  if (!ok(core) || !ok(wasm)) {
    return `they are written for TF.js ${PATCHED_TFJS_VERSION}.x and this is tfjs-core ${core}, tfjs-backend-wasm ${wasm}`;
  }
  return undefined;
}

/** Whether to apply the speed patches; on a version mismatch, says once (one line) that stock kernels run. */
export function speedPatchesEnabled(): boolean {
  const reason = speedPatchesOffReason();
  if (reason === undefined) return true;
  if (!noticeShown && !reason.startsWith(STOCK_TFJS_ENV)) {
    noticeShown = true;
    console.warn(`how-llms-work: wasm speed patches off (${reason}); stock TF.js kernels run, correct but slower.`);
  }
  return false;
}
