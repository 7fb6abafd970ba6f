/**
 * Run one sandbox's tests in a child process under limits the grader enforces from outside:
 * a wall clock, a per-test watchdog (a synchronous infinite loop never lets vitest's own timeout
 * fire), a memory ceiling on the whole process tree, and a cap on the output kept. When the
 * watchdog stops a test, the run starts again with every decided test skipped, so one hanging
 * exercise costs only its own tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Course, parseTestFilePath, type TestFile, testFilePath, TOOL_ROOT } from './course';
import type { Limits } from './limits';
import { buildSandbox, type RunKind } from './sandbox';
import { forbiddenDirs, type GradedTree } from './tree';
import type { RunRecord, RunnerOptions, TestKey } from './types';

/** A test the grader decided without the child's word: it was stopped. */
export interface StoppedTest extends TestKey {
  reason: string;
}

/** An exercise file whose loading was stopped (an endless loop or a memory hog at its top level), and why. */
export interface Unloadable {
  chapter: string;
  stem: string;
  message: string;
}

/** Evidence that a chapter's report was forged or its test machinery changed: the chapter scores 0. */
export interface Tampering {
  chapter: string;
  evidence: string;
}

export interface RunOutcome {
  records: RunRecord[];
  stopped: StoppedTest[];
  tampered: Tampering[];
  /** Exercise files stopped while loading: a later run of the same code leaves them out (`RunRequest.unloadable`). */
  unloadable: Unloadable[];
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
  /** The tests the grader collected from the course for this run; a report of any other test is forged. */
  expected?: TestKey[];
  /** Exercise files an earlier run of the same code could not load: their test files are left out, with this reason. */
  unloadable?: Unloadable[];
}

const MAX_ATTEMPTS = 6;
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

/** One process of a run's tree, from /proc: resident memory and CPU time used so far. */
interface ProcessSample {
  pid: number;
  rssBytes: number;
  cpuMs: number;
}

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ: 100 on every Linux Node supports). */
const TICK_MS = 10;

/** A process and its descendants, from /proc; empty where /proc is absent. */
function processTree(pid: number, out: ProcessSample[] = []): ProcessSample[] {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, utime 14, stime 15, rss (pages) 24.
    out.push({
      pid,
      rssBytes: Number(fields[21]) * 4096,
      cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    });
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) processTree(Number(child), out);
    }
  } catch {
    // gone, or no /proc
  }
  return out;
}

/**
 * How much longer than its limit a phase may take in wall time on an overloaded machine: the load
 * average per core, between 1 (an idle machine: the limits as given) and 4. Busy loops are caught
 * by CPU time, which load does not stretch; this only delays catching code that blocks without computing.
 */
function loadStretch(): number {
  return Math.min(4, Math.max(1, os.loadavg()[0] / os.availableParallelism()));
}

/** A sentinel test's name: unpredictable without the run's key; the guard derives the same one (guard.ts). */
export function sentinelName(key: string, which: 'must pass' | 'must fail'): string {
  return `grader check ${mac(key, which).slice(0, 16)}`;
}

/** HMAC-SHA256 as the guard computes it (grading/runner/mac.ts): the message as UTF-16LE. */
function mac(key: string, message: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(Buffer.from(message, 'utf16le')).digest('hex');
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
  /** The test file that was loading when the run ended, if the guard had named one. */
  loadingFile?: TestFile;
  exitCode: number | null;
  /** How many test files this attempt ran. */
  files: number;
  /** The key the guard signed its lines with (none for `collect`), and those lines. */
  key?: string;
  attestations: string;
}

/** One child process: start it, watch it, stop it if it breaks a limit. */
async function attempt(req: RunRequest, n: number, skip: string[], exclude: Set<string>, tail: Tail): Promise<Attempt> {
  const dir = path.join(req.workDir, `attempt-${n}`);
  const sandbox = path.join(dir, 'sandbox');
  const scratch = path.join(dir, 'scratch');
  const transform = path.join(dir, 'transform');
  for (const d of [scratch, transform]) fs.mkdirSync(d, { recursive: true });
  const include = buildSandbox(req.course, req.kind, req.chapters, req.sources, sandbox).filter((f) => !exclude.has(f));
  const recordFile = path.join(dir, 'records.jsonl');
  const currentFile = path.join(scratch, '.current-test');
  fs.writeFileSync(recordFile, '');
  // A fresh key per attempt: the guard signs what it saw with it; the submission never sees it (see guard.ts).
  const key = req.kind === 'collect' ? undefined : randomBytes(32).toString('hex');
  const attestFile = path.join(scratch, '.grader-attest');
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
      ...(key ? { HOW_LLMS_GRADE_KEY: key, HOW_LLMS_GRADE_ATTEST: attestFile } : {}),
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
  let current = { what: 'loading (starting the test worker)', since: Date.now(), cpu: new Map<number, number>() };
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
  const watch = (tree: ProcessSample[]) => {
    let what = current.what;
    try {
      what = fs.readFileSync(currentFile, 'utf8');
    } catch {
      // the guard has not written yet
    }
    // A new phase (a test, a file loading) starts its clocks: wall time and the CPU time the tree uses from now.
    if (what !== current.what) current = { what, since: Date.now(), cpu: new Map(tree.map((p) => [p.pid, p.cpuMs])) };
  };
  /**
   * Whether the phase now running broke its limit: CPU time of the processes under vitest's main
   * process (the worker that runs the submission) beyond the limit, so that a machine loaded by
   * others never stops honest code early, or wall time beyond the limit stretched by the load.
   */
  const hung = (tree: ProcessSample[], now: number) => {
    const allowed = allowedMs(current.what, req.limits);
    const cpu = tree
      .filter((p) => p.pid !== child.pid)
      .reduce((s, p) => s + p.cpuMs - (current.cpu.get(p.pid) ?? 0), 0);
    return cpu > allowed || now - current.since > allowed * loadStretch();
  };
  const timer = setInterval(() => {
    read();
    const tree = child.pid ? processTree(child.pid) : [];
    watch(tree);
    const now = Date.now();
    if (now > req.deadline) killed = 'timeout';
    else if (current.what && hung(tree, now)) killed = 'hang';
    else if (tree.reduce((s, p) => s + p.rssBytes, 0) > req.limits.memoryMb * 2 ** 20) killed = 'memory';
    if (killed && child.pid) killTree(child.pid);
  }, POLL_MS);
  live.add(child);
  const exitCode = await exited;
  live.delete(child);
  clearInterval(timer);
  read();
  watch([]);
  records.push(...parseLines(pending));
  // The test that was running when the run ended: stopped by the watchdog, or its process died. Its
  // 'collected' record may not be written yet (vitest's main process sends it on its own time): the name says it all.
  const running = keys.get(current.what) ?? keyFromName(current.what);
  const decided = new Set(
    records.filter((r) => r.type === 'result' && r.state !== 'skipped').map((r) => skipKey(r as TestKey)),
  );
  const loading = current.what.startsWith('loading');
  const loadingPath = loading ? current.what.slice('loading '.length) : '';
  return {
    records,
    killed,
    running: running && !decided.has(current.what) ? running : undefined,
    loading,
    loadingFile: path.isAbsolute(loadingPath) ? parseTestFilePath(path.relative(sandbox, loadingPath)) : undefined,
    exitCode,
    files: include.length,
    key,
    attestations: fs.existsSync(attestFile) ? fs.readFileSync(attestFile, 'utf8') : '',
  };
}

/** A test's key from the guard's name for it (`<file>::<exercise> > <test>`), or undefined. */
function keyFromName(name: string): TestKey | undefined {
  const cut = name.indexOf('::');
  const file = cut > 0 ? parseTestFilePath(name.slice(0, cut)) : undefined;
  if (!file) return undefined;
  const rest = name.slice(cut + 2);
  const split = rest.indexOf(' > ');
  return split < 0
    ? { ...file, exercise: '', test: rest }
    : { ...file, exercise: rest.slice(0, split), test: rest.slice(split + 3) };
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

/** A test as the instructor reads it in evidence: file, exercise, test. */
function label(t: TestKey): string {
  return `${testFilePath(t)}: ${t.exercise ? `${t.exercise} > ` : ''}${t.test}`;
}

/**
 * Compare what vitest reported in one attempt with what the grader knows for itself: the tests it
 * collected from the course, the two sentinels of every file (one must pass, one must fail) and the
 * guard's signed record of each test. Any disagreement is evidence that the submission forged its
 * report or changed the test machinery.
 */
export function verifyAttempt(
  records: RunRecord[],
  key: string,
  attestations: string,
  chapters: string[],
  expected?: TestKey[],
): Tampering[] {
  const out: Tampering[] = [];
  const add = (chapter: string, evidence: string) => {
    if (!out.some((t) => t.chapter === chapter && t.evidence === evidence)) out.push({ chapter, evidence });
  };
  const sentinels = { pass: sentinelName(key, 'must pass'), fail: sentinelName(key, 'must fail') };
  const isSentinel = (t: TestKey) => t.exercise === '' && (t.test === sentinels.pass || t.test === sentinels.fail);
  const known = expected ? new Set(expected.map(skipKey)) : undefined;
  // The guard's signed lines: `mac \u0001 kind \u0001 fields…`. A line that does not verify was written by someone else.
  const seen = new Map<string, { outcome: string; why: string }>();
  for (const line of attestations.split('\n')) {
    if (!line) continue;
    const cut = line.indexOf('\u0001');
    const body = line.slice(cut + 1);
    const [kind, ...fields] = body.split('\u0001');
    if (cut < 0 || line.slice(0, cut) !== mac(key, body)) {
      for (const c of chapters)
        add(c, `a line the guard did not sign was written into its record: ${line.slice(0, 120)}`);
      continue;
    }
    if (kind === 'test') {
      const [name, outcome, why] = fields;
      // One failing line is enough: a test is never attested twice in one attempt unless someone replays lines.
      if (seen.get(name)?.outcome !== 'fail') seen.set(name, { outcome, why });
    } else if (kind === 'machinery') {
      const [file, what] = fields;
      const t = parseTestFilePath(file.replace(/^.*?((?:test\/exercises|grading\/hidden)\/)/, '$1'));
      for (const c of t ? [t.chapter] : chapters)
        add(c, `while ${t ? testFilePath(t) : file} ran, the submission ${what}`);
    }
  }
  const passedFiles = new Set<string>();
  const mustFailReported = new Set<string>();
  for (const r of records) {
    if (r.type !== 'collected' && r.type !== 'result') continue;
    const file = testFilePath(r);
    if (!isSentinel(r) && known && !known.has(skipKey(r)))
      add(r.chapter, `vitest reported a test that ${file} does not have: "${label(r)}"`);
    if (r.type !== 'result') continue;
    if (r.test === sentinels.fail && r.exercise === '') {
      if (r.state === 'passed') add(r.chapter, `the grader's must-fail check in ${file} was reported as passed`);
      if (r.state === 'failed') mustFailReported.add(file);
      continue;
    }
    if (r.state !== 'passed') continue;
    if (!isSentinel(r)) passedFiles.add(file);
    const guard = seen.get(skipKey(r));
    if (!guard) add(r.chapter, `vitest reported "${label(r)}" as passed, but the guard recorded no run of it`);
    else if (guard.outcome !== 'pass')
      add(r.chapter, `vitest reported "${label(r)}" as passed, but the guard saw it fail (${guard.why})`);
  }
  for (const file of passedFiles) {
    if (!mustFailReported.has(file)) {
      const t = parseTestFilePath(file)!;
      add(t.chapter, `the grader's must-fail check in ${file} was not reported as failed`);
    }
  }
  return out;
}

/** Run a sandbox's tests, restarting after each stopped test, and gather every record. */
export async function runTests(req: RunRequest): Promise<RunOutcome> {
  const tail = new Tail(req.limits.outputBytes);
  const records: RunRecord[] = [];
  const stopped: StoppedTest[] = [];
  const problems: string[] = [];
  const tampered: Tampering[] = [];
  const decided = new Set<string>();
  // Test files left out of later attempts: stopped while loading (an endless loop or a memory hog at import).
  const exclude = new Set<string>();
  const unloadable: Unloadable[] = [];
  if (req.kind !== 'collect') {
    for (const u of req.unloadable ?? []) {
      const file: TestFile = { visibility: req.kind, chapter: u.chapter, stem: u.stem };
      exclude.add(testFilePath(file));
      records.push({ type: 'moduleError', ...file, errors: [{ message: u.message }] });
    }
  }
  let n = 0;
  while (n < MAX_ATTEMPTS) {
    n++;
    const skip = [...decided];
    const a = await attempt(req, n, skip, exclude, tail);
    const sentinel = (r: RunRecord) =>
      a.key !== undefined &&
      (r.type === 'collected' || r.type === 'start' || r.type === 'result') &&
      r.exercise === '' &&
      r.test.startsWith('grader check ');
    if (a.key) {
      for (const t of verifyAttempt(a.records, a.key, a.attestations, req.chapters, req.expected))
        if (!tampered.some((x) => x.chapter === t.chapter && x.evidence === t.evidence)) tampered.push(t);
    }
    for (const r of a.records) {
      if (sentinel(r)) continue;
      if (r.type === 'result' && r.state === 'skipped' && decided.has(skipKey(r))) continue;
      records.push(r);
      if (r.type === 'result' && r.state !== 'skipped') decided.add(skipKey(r));
    }
    if (a.killed && a.killed !== 'timeout' && !a.running && a.loading && a.loadingFile) {
      // A file that never finished loading: its exercises lose their points, the other files run again.
      const file = a.loadingFile;
      const exercise = `exercises/${file.chapter}/${file.stem}.ts`;
      const why =
        a.killed === 'hang'
          ? `it ran for more than ${allowedMs('loading', req.limits) / 1000} s (an endless loop at the top level of the file?)`
          : `it used more than ${req.limits.memoryMb} MB of memory`;
      const message = `stopped while ${exercise} was loading: ${why}`;
      records.push({ type: 'moduleError', ...file, errors: [{ message }] });
      unloadable.push({ chapter: file.chapter, stem: file.stem, message });
      problems.push(
        `${exercise} was stopped while it loaded, before any of its tests started: ${why}; its exercises score 0, the other files were graded`,
      );
      exclude.add(testFilePath(file));
      if (a.files <= 1) break;
      continue;
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
    // Run again while a test is undecided: every test the grader expects, not only those collected so far (a file
    // queued behind the stopped one was never collected, and stopping here would cost it all its points).
    const collected = a.records.filter((r) => r.type === 'collected' && !sentinel(r)) as TestKey[];
    const wanted = (req.expected ?? collected).filter((t) => !exclude.has(testFilePath(t)));
    if (wanted.every((t) => decided.has(skipKey(t)))) break;
  }
  return { records, stopped, problems, tampered, unloadable, attempts: n, outputTail: tail.toString() };
}
