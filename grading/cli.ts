/** Command-line options shared by `npm run grade`, `npm run check` and the Gradescope entry. */
import * as os from 'node:os';
import { openCourse, type Course } from './course';
import { checkLimits, DEFAULT_LIMITS, type Limits } from './limits';

/** Options every grading command takes (parseArgs format). */
export const LIMIT_OPTIONS = {
  course: { type: 'string' },
  chapters: { type: 'string' },
  jobs: { type: 'string' },
  'timeout-s': { type: 'string' },
  'test-timeout-s': { type: 'string' },
  'load-timeout-s': { type: 'string' },
  'memory-mb': { type: 'string' },
  'keep-work': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number, got ${value}`);
  return n;
}

/** Limits from the command line, defaults for the rest. */
export function limitsFrom(values: Record<string, unknown>): Limits {
  return checkLimits({
    timeoutS: num(values['timeout-s'] as string | undefined, DEFAULT_LIMITS.timeoutS, 'timeout-s'),
    testTimeoutS: num(values['test-timeout-s'] as string | undefined, DEFAULT_LIMITS.testTimeoutS, 'test-timeout-s'),
    loadTimeoutS: num(values['load-timeout-s'] as string | undefined, DEFAULT_LIMITS.loadTimeoutS, 'load-timeout-s'),
    memoryMb: num(values['memory-mb'] as string | undefined, DEFAULT_LIMITS.memoryMb, 'memory-mb'),
    outputBytes: DEFAULT_LIMITS.outputBytes,
  });
}

/** How many submissions to grade at once: `--jobs`, default one per core. */
export function jobsFrom(values: Record<string, unknown>): number {
  return Math.floor(num(values.jobs as string | undefined, os.availableParallelism(), 'jobs'));
}

/** The course named by `--course`, else this repository. */
export function courseFrom(values: Record<string, unknown>): Course {
  return openCourse(values.course as string | undefined);
}

/** The chapters named by `--chapters ch02,ch03` (none: empty). */
export function chapterList(values: Record<string, unknown>): string[] {
  return ((values.chapters as string | undefined) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Run a command-line main: errors print as one clear message and exit 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
