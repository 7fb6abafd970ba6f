/**
 * A vitest reporter that runs in the child's main process (never in the worker that runs the
 * submission) and appends one JSON record a line to a file the worker has no permission to open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { parseTestFilePath } from '../course';
import type { ErrorRecord, RunRecord, TestKey, Visibility } from '../types';

/** Longest message kept per error: enough to explain a failure, too little to smuggle a file out. */
const MAX_MESSAGE = 2_000;

function clip(text: unknown): string | undefined {
  if (text === undefined || text === null) return undefined;
  const s = String(text);
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}… (${s.length - MAX_MESSAGE} more characters)` : s;
}

/** Keep only the fields a human reads; drop stacks (they name sandbox paths, not the learner's files). */
export function toErrorRecord(err: unknown): ErrorRecord {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; expected?: unknown; actual?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : undefined,
    message: clip(e.message ?? err) ?? '',
    expected: clip(e.expected),
    actual: clip(e.actual),
  };
}

/** Which tests a file holds: `test/exercises/chNN-x/<stem>.test.ts` is visible, `grading/hidden/chNN-x/<stem>.test.ts` hidden. */
export function fileKind(root: string, file: string): { chapter: string; stem: string; visibility: Visibility } {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const kind = parseTestFilePath(rel);
  if (!kind)
    throw new Error(
      `${rel} is not a course test file (test/exercises/<chapter>/<stem>.test.ts or grading/hidden/<chapter>/<stem>.test.ts)`,
    );
  return kind;
}

/** The top-level describe names the exercise; everything below it names the test. */
function keyOf(root: string, test: TestCase): TestKey {
  const names: string[] = [test.name];
  let parent = test.parent;
  while (parent.type === 'suite') {
    names.unshift(parent.name);
    parent = parent.parent;
  }
  const exercise = names.length > 1 ? names.shift()! : '';
  return { ...fileKind(root, test.module.moduleId), exercise, test: names.join(' > ') };
}

/** Appends a record per collected test, test start, test result, module error and run end. */
export class RecordReporter implements Reporter {
  constructor(
    private readonly file: string,
    private readonly root: string,
  ) {}

  private write(record: RunRecord): void {
    fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }

  onTestModuleCollected(module: TestModule): void {
    for (const test of module.children.allTests()) this.write({ type: 'collected', ...keyOf(this.root, test) });
  }

  onTestCaseReady(test: TestCase): void {
    this.write({ type: 'start', ...keyOf(this.root, test) });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const state = result.state === 'passed' || result.state === 'failed' ? result.state : 'skipped';
    const tampered = (test.meta() as { tampered?: string[] }).tampered;
    this.write({
      type: 'result',
      ...keyOf(this.root, test),
      state,
      errors: (result.errors ?? []).map(toErrorRecord),
      tampered,
    });
  }

  onTestModuleEnd(module: TestModule): void {
    const errors = module.errors();
    if (errors.length > 0)
      this.write({ type: 'moduleError', ...fileKind(this.root, module.moduleId), errors: errors.map(toErrorRecord) });
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>): void {
    this.write({ type: 'end', errors: unhandled.map(toErrorRecord) });
  }
}
