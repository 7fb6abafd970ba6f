/**
 * The records that pass between the grader and the test run it starts.
 * The child's test runner writes them (one JSON object a line) to a file only the grader reads;
 * the grader decides every score from them and from its own watchdog, never from the child's output.
 */

/** Where a test came from: the learner's visible tests or the instructor's hidden ones. */
export type Visibility = 'visible' | 'hidden';

/** One test as the grader names it: chapter, exercise file, exercise (the top-level `describe`), test name. */
export interface TestKey {
  visibility: Visibility;
  chapter: string;
  /** The exercise file the test's file tests (`exercises/<chapter>/<stem>.ts`). */
  stem: string;
  exercise: string;
  test: string;
}

/** An assertion or error, as vitest serialises it. */
export interface ErrorRecord {
  name?: string;
  message: string;
  expected?: string;
  actual?: string;
}

/** One line of the child's record file. */
export type RunRecord =
  | ({ type: 'collected' } & TestKey)
  | ({ type: 'start' } & TestKey)
  | ({ type: 'result'; state: 'passed' | 'failed' | 'skipped'; errors: ErrorRecord[]; tampered?: string[] } & TestKey)
  | { type: 'moduleError'; chapter: string; stem: string; visibility: Visibility; errors: ErrorRecord[] }
  | { type: 'end'; errors: ErrorRecord[] };

/** What the child runner is told, as a JSON file it reads at start. */
export interface RunnerOptions {
  mode: 'run' | 'collect';
  /** The sandbox: a temporary copy of the submission and the tests, never the course repository. */
  root: string;
  /** Test files relative to root. */
  include: string[];
  /** Absolute path of the guard setup file inside root. */
  setupFile: string;
  /** The graded tree's node_modules: the built library and accelerator, and the third-party packages (see tree.ts). */
  nodeModules: string;
  /** Folders no read allowance may hold (the repository, the course): the child refuses to start if one does. */
  protect: string[];
  /** The instructor's folders (solutions, hidden tests, library source) no read allowance may be inside. */
  forbidden: string[];
  /** The file the child appends records to (outside the sandbox, not readable by the tested code). */
  recordFile: string;
  /** Folders the tested code may read; it may write nowhere but `scratch`. */
  readAllow: string[];
  scratch: string;
  memoryMb: number;
  testTimeoutMs: number;
  /** `file::exercise > test` keys the guard skips (already decided in an earlier attempt). */
  skip: string[];
  env: Record<string, string>;
}
