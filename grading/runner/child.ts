/**
 * The child process that runs one submission's tests: vitest with the sandbox as its root,
 * test code in a worker process that the Node permission model confines (read: the sandbox, the
 * library, node_modules; write: a scratch folder; no processes, no threads, no native addons),
 * and a reporter that appends records to a file the worker cannot open.
 * Usage (by the grader only): node --import tsx grading/runner/child.ts <options.json>
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunnerOptions } from '../types';
import { RecordReporter } from './reporter';
import { importFirewall } from './firewall';

async function main(): Promise<void> {
  const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as RunnerOptions;
  const { startVitest, createVitest } = await import('vitest/node');
  // node_modules by its real path and, where it is a link (a test's stand-in for Gradescope's install), by the link too.
  const nodeModules = [
    path.dirname(path.dirname(require.resolve('vitest/package.json'))),
    path.resolve(__dirname, '..', '..', 'node_modules'),
  ];
  // The library imports the accelerator (backend choice, fused kernels) by package name: its source beside the grader's.
  const accelSrc = path.resolve(__dirname, '..', '..', 'accel', 'src');
  const permission = [
    '--experimental-permission',
    ...outermost([options.root, options.libSrc, accelSrc, ...nodeModules, transformDir(), ...options.readAllow]).map(
      (p) => `--allow-fs-read=${p}`,
    ),
    `--allow-fs-write=${options.scratch}`,
    `--max-old-space-size=${options.memoryMb}`,
    '--no-warnings',
  ];
  const alias = [
    { find: /^@exercises\/(.*)$/, replacement: `${path.join(options.root, 'exercises')}/$1` },
    { find: /^@how-llms-work\/accel$/, replacement: path.join(accelSrc, 'index.ts') },
    { find: /^@how-llms-work\/lib$/, replacement: path.join(options.libSrc, 'index.ts') },
    { find: /^@how-llms-work\/lib\/(.*)$/, replacement: `${options.libSrc}/$1/index.ts` },
  ];
  const allowedRoots = [options.root, options.libSrc, accelSrc, ...nodeModules, ...options.readAllow];
  const testConfig = {
    root: options.root,
    config: false as const,
    watch: false,
    include: options.include,
    setupFiles: [options.setupFile],
    pool: 'forks' as const,
    maxWorkers: 1,
    fileParallelism: false,
    execArgv: permission,
    testTimeout: options.testTimeoutMs,
    hookTimeout: options.testTimeoutMs,
    teardownTimeout: 5_000,
    silent: true,
    reporters: [new RecordReporter(options.recordFile, options.root)],
    env: { ...options.env, TMPDIR: options.scratch, HOW_LLMS_GRADE_SKIP: JSON.stringify(options.skip) },
  };
  const viteConfig = {
    resolve: { alias },
    plugins: [importFirewall(allowedRoots)],
    cacheDir: path.join(options.scratch, '..', 'vite-cache'),
    logLevel: 'silent' as const,
  };
  if (options.mode === 'collect') {
    // Collecting imports the tests (and the stubs they import) without running any test.
    const vitest = await createVitest('test', testConfig, viteConfig);
    const { testModules } = await vitest.collect();
    const reporter = testConfig.reporters[0];
    for (const module of testModules) {
      reporter.onTestModuleCollected(module);
      reporter.onTestModuleEnd(module);
    }
    reporter.onTestRunEnd([], []);
    await vitest.close();
  } else {
    const vitest = await startVitest('test', [], testConfig, viteConfig);
    await vitest?.close();
  }
  // A worker that never exits must not keep this process alive: the records are written.
  process.exit(0);
}

/**
 * Distinct folders with none inside another: Node 20's permission model aborts the process
 * (`Assertion failed: !path_prefix.empty()`) when given the same folder twice.
 */
export function outermost(folders: string[]): string[] {
  const unique = [...new Set(folders.map((f) => path.resolve(f)))].sort();
  return unique.filter((f) => !unique.some((g) => g !== f && f.startsWith(g + path.sep)));
}

/** vitest's main process writes transformed modules under the temporary folder; the worker reads them from there. */
function transformDir(): string {
  return os.tmpdir();
}

main().catch((err) => {
  process.stderr.write(`grading runner failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
