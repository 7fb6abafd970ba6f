// bench/run.ts's pieces that decide what runs: the thread counts of the scaling table, and which Python runs
// today's PyTorch (a setting that names a Python without torch 2.x is reported, never silently replaced).
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oursBest, scaling, threadCounts } from '../../bench/run';
import { TORCH_PYTHON_ENV, TORCH_VENV, findTorchPythons } from '../../bench/torch-python';

describe('bench/run.ts', () => {
  it('scales over 1, 2, 4, … threads up to the core count, which it always includes', () => {
    expect(threadCounts(1)).toEqual([1]);
    expect(threadCounts(2)).toEqual([1, 2]);
    expect(threadCounts(6)).toEqual([1, 2, 4, 6]);
    expect(threadCounts(8)).toEqual([1, 2, 4, 8]);
    expect(threadCounts(16)).toEqual([1, 2, 4, 8, 16]);
  });

  it('puts the data-parallel workers beside the thread pool, and picks the faster at each count', () => {
    const step = (runner: string, baby: number) => ({ runner, detail: '', trainStepMs: { baby } });
    const results = [
      step('ours-wasm', 50),
      step('ours-1t', 60),
      step('ours-dp-2w', 33),
      step('torch-1t', 65),
      step('torch-2t', 38),
    ];
    const s = scaling(results, [1, 2], 2, 'baby');
    expect(s).toEqual([
      { threads: 1, ours: 60, dataParallel: 60, torch: 65 },
      { threads: 2, ours: 50, dataParallel: 33, torch: 38 },
    ]);
    expect(oursBest(s[1], 2)).toEqual({ ms: 33, how: '2 data-parallel workers' });
    expect(oursBest({ ours: 30, dataParallel: 33 }, 2)).toEqual({ ms: 30, how: 'the 2-thread pool' });
    expect(oursBest({ ours: 60 }, 1)).toEqual({ ms: 60, how: '1 thread' });
  });

  it(`names the Python ${TORCH_PYTHON_ENV} points at when it has no torch 2.x, and how to fix it`, () => {
    const bogus = path.join(os.tmpdir(), 'no-such-python-here');
    const found = findTorchPythons({ [TORCH_PYTHON_ENV]: bogus });
    expect(found.modern).toBeUndefined();
    expect(found.modernMissing).toBe(
      `${TORCH_PYTHON_ENV}=${bogus} cannot import torch and numpy: point it at a Python with torch 2.x, or unset it`,
    );
    expect(TORCH_VENV).toBe(path.join(os.homedir(), '.cache', 'how-llms-work', 'torch-venv'));
  });
});
