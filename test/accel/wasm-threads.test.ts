// The threaded wasm build runs in a fresh Node process (threads are chosen when wasm first starts).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_ADDON_PATH, nativeMatMulPatch } from '@how-llms-work/accel';

interface FixtureOutput {
  backend: string;
  patches: string[];
  y: number[][];
}

/** Run the fixture in a child process; reject if it fails or does not end by itself within the timeout. */
function runFixture(env: Record<string, string>): Promise<FixtureOutput> {
  const fixture = path.join(__dirname, 'fixtures', 'threaded-matmul.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fixture],
      { env: { ...process.env, HOW_LLMS_BACKEND: 'wasm', ...env }, encoding: 'utf8', timeout: 50_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`fixture failed (${err.message}): ${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as FixtureOutput);
      },
    );
  });
}

const Y = [
  [7, 11, 6, 2],
  [16, 23, 15, 8],
]; // [[1,2,3],[4,5,6]] times the fixture's (4, 3) matrix, transposed

describe('threaded wasm in Node', () => {
  // Both children start at once: each spends most of its time loading TF.js.
  const threaded = runFixture({ HOW_LLMS_WASM_THREADS: '2', HOW_LLMS_STOCK_TFJS: '', HOW_LLMS_THREADS: '2' });
  const stock = runFixture({ HOW_LLMS_WASM_THREADS: '2', HOW_LLMS_STOCK_TFJS: '1' });

  it('starts 2 threads, multiplies correctly, and lets the process end on its own', async () => {
    // A worker holding the event loop open would hit the timeout instead of exiting.
    const out = await threaded;
    expect(out.backend).toBe('wasm');
    // OpenBLAS takes the products where its addon is built (native-matmul.test.ts), threads or not.
    const native = fs.existsSync(NATIVE_ADDON_PATH) ? [nativeMatMulPatch()] : [];
    const fused = native.length > 0 ? 'fused kernels in C' : 'fused kernels in JS';
    const nativeThreads = native.length > 0 ? ['2 native threads'] : [];
    expect(out.patches).toEqual([
      'fast matmul',
      ...native,
      'product pow',
      'product sum',
      'row gather',
      'shared clone',
      fused,
      ...nativeThreads,
      '2 wasm threads',
    ]);
    expect(out.y).toEqual(Y);
  });

  it('runs stock TF.js, one thread and no patches, when HOW_LLMS_STOCK_TFJS=1', async () => {
    const out = await stock;
    expect(out.patches).toEqual([]);
    expect(out.y).toEqual(Y);
  });
});
