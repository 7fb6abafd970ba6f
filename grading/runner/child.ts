/**
 * The child process that runs one submission's tests: vitest with the sandbox as its root,
 * test code in a worker process that the Node permission model confines (read: the sandbox and the
 * graded tree's node_modules; write: a scratch folder; no processes, no threads, no native addons),
 * and a reporter that appends records to a file the worker cannot open.
 * Usage (by the grader only): node --import tsx grading/runner/child.ts <options.json>
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkReadAllowance } from '../tree';
import type { RunnerOptions } from '../types';
import { RecordReporter } from './reporter';
import { importFirewall } from './firewall';

async function main(): Promise<void> {
  const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as RunnerOptions;
  // vitest from the graded tree, not from the repository: its worker's entry file must be readable under the
  // permission model, and the tests' own `import 'vitest'` resolves there too (one copy of vitest in the run).
  const fromTree = createRequire(path.join(path.dirname(options.nodeModules), 'graded.js'));
  const { startVitest, createVitest } = (await import(
    pathToFileURL(fromTree.resolve('vitest/node')).href
  )) as typeof import('vitest/node');
  // What the worker may read: its sandbox, the graded tree's packages (copies and hard links, no link out of it),
  // vitest's transformed modules, scratch and data. Never the repository: checked by real path before starting.
  const readable = [options.root, options.nodeModules, transformDir(), ...options.readAllow];
  checkReadAllowance(readable, options.protect, options.forbidden);
  const permission = [
    '--experimental-permission',
    ...outermost(readable).map((p) => `--allow-fs-read=${p}`),
    `--allow-fs-write=${options.scratch}`,
    `--max-old-space-size=${options.memoryMb}`,
    '--no-warnings',
  ];
  // The library and the accelerator resolve as packages from the tree (`@how-llms-work/lib` → its copied dist).
  const alias = [{ find: /^@exercises\/(.*)$/, replacement: `${path.join(options.root, 'exercises')}/$1` }];
  const allowedRoots = [options.root, options.nodeModules, ...options.readAllow];
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
