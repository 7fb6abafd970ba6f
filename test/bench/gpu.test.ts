// `npm run bench -- --gpu` (bench/gpu.ts): on a machine without a GPU (this one, and CI) it must say which GPU backends
// it tried and why each did not start, write that down, and exit 1 without measuring; the comparison it runs where one
// starts must hold a backend to cpu within its tolerance and catch a wrong number or a wrong token.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOLERANCE, compare } from '../../bench/gpu';

const ROOT = path.resolve(__dirname, '..', '..');

describe('bench/gpu.ts', () => {
  it('without a GPU: names each backend tried and why it did not start, writes gpu.json, measures nothing and exits 1', async () => {
    const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-gpu-'));
    try {
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const options = {
          cwd: ROOT,
          encoding: 'utf8' as const,
          timeout: 110_000,
          env: { ...process.env, HOW_LLMS_GPU_RESULTS: resultsDir },
        };
        execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'gpu.ts')], options, (err, out) =>
          resolve({ code: err ? (err.code as number) : 0, stdout: out }),
        );
      });
      expect(stdout).toMatch(/node-gpu: did not start: .*tfjs-node-gpu/);
      expect(stdout).toMatch(/webgpu: did not start: /);
      expect(stdout).toContain('No GPU backend started on this machine, so nothing was checked or timed');
      expect(stdout).not.toMatch(/ms per training step/);
      expect(code).toBe(1);
      const report = JSON.parse(fs.readFileSync(path.join(resultsDir, 'gpu.json'), 'utf8')) as {
        started: string[];
        tried: { backend: string; error?: string }[];
      };
      expect(report.started).toEqual([]);
      expect(report.tried.map((t) => t.backend)).toEqual(['node-gpu', 'webgpu']);
      expect(report.tried.every((t) => typeof t.error === 'string' && t.error.length > 0)).toBe(true);
    } finally {
      fs.rmSync(resultsDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('compares within the tolerance, and catches a number off, a missing check and a different token', () => {
    const want = { 'GPT loss': [2.5], 'a gradient': [1, -2, 0], 'greedy tokens, KV cache': [3, 4, 5] };
    const near = {
      'GPT loss': [2.5 * (1 + TOLERANCE / 10)],
      'a gradient': [1, -2, 1e-4],
      'greedy tokens, KV cache': [3, 4, 5],
    };
    expect(compare(near, want).every((c) => c.ok)).toBe(true);
    const off = compare({ ...near, 'a gradient': [1, -2.1, 0] }, want);
    expect(off.find((c) => c.name === 'a gradient')).toMatchObject({ ok: false });
    expect(
      compare({ 'GPT loss': [2.5], 'greedy tokens, KV cache': [3, 4, 5] }, want).find((c) => c.name === 'a gradient'),
    ).toMatchObject({ ok: false, worst: Infinity });
    expect(
      compare({ ...near, 'greedy tokens, KV cache': [3, 4, 6] }, want).find((c) => c.name.startsWith('greedy')),
    ).toMatchObject({ ok: false });
  });
});
