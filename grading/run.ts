/**
 * Run one sandbox's tests in a child process under limits the grader enforces from outside:
 * a wall clock, a per-test watchdog (a synchronous infinite loop never lets vitest's own timeout
 * fire), a memory ceiling on the whole process tree, and a cap on the output kept. When the
 * watchdog stops a test, the run starts again with every decided test skipped, so one hanging
 * exercise costs only its own tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Course, testFilePath, TOOL_ROOT } from './course';
import type { Limits } from './limits';
import { buildSandbox, type RunKind } from './sandbox';
import { forbiddenDirs, type GradedTree } from './tree';
import type { RunRecord, RunnerOptions, TestKey } from './types';

/** A test the grader decided without the child's word: it was stopped. */
export interface StoppedTest extends TestKey {
  reason: string;
}

export interface RunOutcome {
  records: RunRecord[];
  stopped: StoppedTest[];
  /** Why the run as a whole ended badly (wall clock, memory at import, early exit), if it did. */
  problems: string[];
  attempts: number;
  /** The last bytes the run printed, for the instructor. */
  outputTail: string;
}

export interface RunRequest {
  course: Course;
  /** The packages the run may read; its folder must hold `workDir`, so that they resolve. */
  tree: GradedTree;
  kind: RunKind;
  chapters: string[];
  /** chapter → the folder with the code to test (the submission's, or the stubs for `collect`). */
  sources: Record<string, string | undefined>;
  /** A fresh folder for this run's sandbox, records and scratch space. */
  workDir: string;
  limits: Limits;
  /** The `Date.now()` after which this submission's runs are stopped (shared by its runs). */
  deadline: number;
}

const MAX_ATTEMPTS = 4;
const HANG_GRACE_MS = 2_000;
const POLL_MS = 200;

/** The name the guard uses to skip a test: `<file>::<exercise> > <test>`. */
export function skipKey(t: TestKey): string {
  return `${testFilePath(t)}::${t.exercise ? `${t.exercise} > ` : ''}${t.test}`;
}

/** A test's identity across runs and records: visibility, chapter, exercise, test name. */
export function testId(t: TestKey): string {
  return `${t.visibility}\u0000${t.chapter}\u0000${t.exercise}\u0000${t.test}`;
}

/** Resident memory (bytes) of a process and its descendants; 0 where /proc is absent. */
function treeRss(pid: number): number {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    let total = pages * 4096;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) total += treeRss(Number(child));
    }
    return total;
  } catch {
    return 0;
  }
}

/** Child processes alive now: if the grader itself is stopped, they are stopped with it. */
const live = new Set<ChildProcess>();

function stopAll(): void {
  for (const child of live) if (child.pid) killTree(child.pid);
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

function killTree(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

class Tail {
  private text = '';
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-this.max);
  }
  toString(): string {
    return this.text;
  }
}

function parseLines(text: string): RunRecord[] {
  const out: RunRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as RunRecord);
    } catch {
      // a torn last line from a killed run
    }
  }
  return out;
}

interface Attempt {
  records: RunRecord[];
  killed?: 'hang' | 'memory' | 'timeout';
  /** The test running when the run ended, if one was. */
  running?: TestKey;
  /** Whether the run ended while the test file (and the submission) was still loading. */
  loading: boolean;
  exitCode: number | null;
}

/** One child process: start it, watch it, stop it if it breaks a limit. */
async function attempt(req: RunRequest, n: number, skip: string[], tail: Tail): Promise<Attempt> {
  const dir = path.join(req.workDir, `attempt-${n}`);
  const sandbox = path.join(dir, 'sandbox');
  const scratch = path.join(dir, 'scratch');
  const transform = path.join(dir, 'transform');
  for (const d of [scratch, transform]) fs.mkdirSync(d, { recursive: true });
  const include = buildSandbox(req.course, req.kind, req.chapters, req.sources, sandbox);
  const recordFile = path.join(dir, 'records.jsonl');
  const currentFile = path.join(scratch, '.current-test');
  fs.writeFileSync(recordFile, '');
  const dataDir = req.tree.dataDir;
  const options: RunnerOptions = {
    mode: req.kind === 'collect' ? 'collect' : 'run',
    root: sandbox,
    include,
    setupFile: path.join(sandbox, 'guard.ts'),
    nodeModules: req.tree.nodeModules,
    protect: [req.course.root, TOOL_ROOT],
    forbidden: forbiddenDirs(req.course),
    recordFile,
    readAllow: [scratch, ...(dataDir ? [dataDir] : [])],
    scratch,
    memoryMb: Math.max(256, Math.floor(req.limits.memoryMb / 2)),
    testTimeoutMs: req.limits.testTimeoutS * 1000,
    skip,
    env: {
      HOW_LLMS_BACKEND: process.env.HOW_LLMS_BACKEND ?? 'wasm',
      HOW_LLMS_PROFILE: process.env.HOW_LLMS_PROFILE ?? 'ci',
      ...(dataDir ? { HOW_LLMS_DATA_DIR: dataDir } : {}),
      // Parallelism comes from grading several submissions at once; wasm threads would need worker threads, which the sandbox denies.
      HOW_LLMS_WASM_THREADS: '1',
      HOW_LLMS_GRADE_CURRENT: currentFile,
    },
  };
  const optionsFile = path.join(dir, 'options.json');
  fs.writeFileSync(optionsFile, JSON.stringify(options));
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, path.join(__dirname, 'runner', 'child.ts'), optionsFile], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A clean environment: nothing of the instructor's reaches the submission.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, TMPDIR: transform, NODE_OPTIONS: '', CI: '1' },
  });
  child.stdout.on('data', (c: Buffer) => tail.push(c));
  child.stderr.on('data', (c: Buffer) => tail.push(c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

  let offset = 0;
  let pending = '';
  const records: RunRecord[] = [];
  const keys = new Map<string, TestKey>();
  // Until the guard first writes, the run is loading: a worker that never starts is stopped by the load limit.
  let current = { what: 'loading (starting the test worker)', since: Date.now() };
  let killed: Attempt['killed'];
  const read = () => {
    const fd = fs.openSync(recordFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const text = pending + buf.toString('utf8');
      const cut = text.lastIndexOf('\n') + 1;
      pending = text.slice(cut);
      for (const r of parseLines(text.slice(0, cut))) {
        records.push(r);
        if (r.type === 'collected') keys.set(skipKey(r), r);
      }
    } finally {
      fs.closeSync(fd);
    }
  };
  const watch = () => {
    let what = current.what;
    try {
      what = fs.readFileSync(currentFile, 'utf8');
    } catch {
      // the guard has not written yet
    }
    if (what !== current.what) current = { what, since: Date.now() };
  };
  const timer = setInterval(() => {
    read();
    watch();
    const now = Date.now();
    if (now > req.deadline) killed = 'timeout';
    else if (current.what && now - current.since > allowedMs(current.what, req.limits)) killed = 'hang';
    else if (child.pid && treeRss(child.pid) > req.limits.memoryMb * 2 ** 20) killed = 'memory';
    if (killed && child.pid) killTree(child.pid);
  }, POLL_MS);
  live.add(child);
  const exitCode = await exited;
  live.delete(child);
  clearInterval(timer);
  read();
  watch();
  records.push(...parseLines(pending));
  // The test that was running when the run ended: stopped by the watchdog, or its process died.
  const running = keys.get(current.what);
  const decided = new Set(
    records.filter((r) => r.type === 'result' && r.state !== 'skipped').map((r) => skipKey(r as TestKey)),
  );
  return {
    records,
    killed,
    running: running && !decided.has(current.what) ? running : undefined,
    loading: current.what.startsWith('loading'),
    exitCode,
  };
}

/** How long the watchdog lets a test (or a test file's loading) run before it stops it. */
function allowedMs(what: string, limits: Limits): number {
  return (what.startsWith('loading') ? limits.loadTimeoutS : limits.testTimeoutS) * 1000 + HANG_GRACE_MS;
}

function describeKill(kind: NonNullable<Attempt['killed']>, limits: Limits, loading = false): string {
  if (kind === 'hang')
    return `stopped after ${allowedMs(loading ? 'loading' : '', limits) / 1000} s without finishing (an infinite loop?)`;
  if (kind === 'memory') return `stopped: the run used more than ${limits.memoryMb} MB of memory`;
  return `stopped: the submission ran past its time limit of ${limits.timeoutS} s`;
}

/** Run a sandbox's tests, restarting after each stopped test, and gather every record. */
export async function runTests(req: RunRequest): Promise<RunOutcome> {
  const tail = new Tail(req.limits.outputBytes);
  const records: RunRecord[] = [];
  const stopped: StoppedTest[] = [];
  const problems: string[] = [];
  const decided = new Set<string>();
  let n = 0;
  while (n < MAX_ATTEMPTS) {
    n++;
    const skip = [...decided];
    const a = await attempt(req, n, skip, tail);
    for (const r of a.records) {
      if (r.type === 'result' && r.state === 'skipped' && decided.has(skipKey(r))) continue;
      records.push(r);
      if (r.type === 'result' && r.state !== 'skipped') decided.add(skipKey(r));
    }
    if (a.killed === 'timeout' || (!a.running && a.killed)) {
      const reason = describeKill(a.killed, req.limits, a.loading);
      problems.push(
        a.running
          ? `${reason} (during "${a.running.exercise} > ${a.running.test}")`
          : `${reason} (${a.loading ? 'while loading the code, before any test started: is there an endless loop at the top level of a file?' : 'between tests'})`,
      );
      if (a.running) stopped.push({ ...a.running, reason });
      break;
    }
    if (!a.running) {
      if (!a.records.some((r) => r.type === 'end')) {
        problems.push(
          `the test run ended early (exit code ${a.exitCode}) before reporting every result; did the code call process.exit?`,
        );
      }
      break;
    }
    // A test was stopped, or its process died under it: decide it, and run the rest again.
    const reason = a.killed
      ? describeKill(a.killed, req.limits)
      : 'the test process died while running this test (out of memory, or process.exit?)';
    stopped.push({ ...a.running, reason });
    decided.add(skipKey(a.running));
    const collected = a.records.filter((r) => r.type === 'collected') as TestKey[];
    if (collected.every((t) => decided.has(skipKey(t)))) break;
  }
  return { records, stopped, problems, attempts: n, outputTail: tail.toString() };
}
