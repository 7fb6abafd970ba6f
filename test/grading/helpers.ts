/**
 * Helpers for the grader's tests: copy the fixture course and submissions into a temporary folder
 * (their TypeScript is stored as `.ts.txt` so that the repository's own typecheck and test run
 * leave it alone), and run the grader's commands as a user would.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');

/** Copy `from` to `to`, turning `x.ts.txt` into `x.ts` and replacing `__KEY__` placeholders in text. */
export function materialize(from: string, to: string, replace: Record<string, string> = {}): string {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name.replace(/\.ts\.txt$/, '.ts'));
    if (entry.isDirectory()) {
      materialize(src, dst, replace);
      continue;
    }
    fs.mkdirSync(to, { recursive: true });
    let text = fs.readFileSync(src, 'utf8');
    for (const [key, value] of Object.entries(replace)) text = text.split(`__${key}__`).join(value);
    fs.writeFileSync(dst, text);
  }
  return to;
}

/** A fresh temporary folder. */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `how-llms-${label}-`));
}

/** The fixture course, ready to grade against, in its own temporary folder. */
export function fixtureCourse(): string {
  return materialize(path.join(FIXTURES, 'course'), path.join(tempDir('course'), 'course'));
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run one of the grader's scripts (`grade`, `check`, `bundle`) with tsx, as `npm run` would. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return runCommand(process.execPath, ['--import', 'tsx', path.join(REPO, 'grading', `${script}.ts`), ...args], env);
}

/** Run a command from the repository root and collect its output. */
export function runCommand(cmd: string, args: string[], env: Record<string, string> = {}, cwd = REPO): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A student's results.json as the grader wrote it. */
export function readResults(
  out: string,
  student: string,
): {
  score: number;
  max_score: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[];
} {
  return JSON.parse(fs.readFileSync(path.join(out, student, 'results.json'), 'utf8'));
}
