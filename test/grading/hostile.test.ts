/**
 * The grader against hostile and broken submissions, all graded together on the fixture course
 * (12 points: "ch01 add" 6, "ch01 scale rows" 6), so that each one's score is exact and no one's
 * misbehaviour changes anyone else's grade.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../grading/course';
import { createZip } from '../../grading/zip';
import { FIXTURES, materialize, readResults, REPO, runScript, tempDir, type Ran } from './helpers';

/** Each submission and the exact score its code earns (the notes say why). */
const EXPECTED: Record<string, number> = {
  solutions: 12, // the fixture course's own solutions
  exercises: 0, // its untouched stubs
  partial: 7, // add right; scale wrong for negatives and unchecked; handed in as a zip of bare files
  'crash-on-import': 6, // add.ts throws while imported: add's tests fail, scale (its own test file) keeps its points
  'infinite-loop': 9, // a synchronous endless loop in one test: that test is stopped, the rest run
  'memory-hog': 9, // hoards memory in one test: stopped at the memory limit, the rest run
  'exit-early': 6, // add.ts calls process.exit(0) while imported: only add's tests fail
  noisy: 12, // megabytes of output, correct code, and a type error beside it (noted, no points lost)
  'syntax-error': 6, // add.ts does not compile: only add's tests fail
  tamper: 0, // bends Object.is, Math.random, expect, chai and a prototype: changing expect and chai is tampering with the test machinery
  'read-solutions': 6, // imports and reads the solutions and hidden tests: denied
  'overwrite-report': 6, // writes forged reports and into the course: denied
  fork: 12, // starts processes and threads: denied, and the correct code still scores
  'symlink-read': 6, // reaches for solutions/ and hidden tests through npm's workspace link and /proc: nothing there
  'leak-hidden': 6, // reads the hidden test in the hidden run and throws it back: students see pass/fail only
  'loop-on-import': 6, // scale.ts never finishes loading (its test file runs first): scale scores 0, add is graded after a restart
  'forge-rpc': 0, // stubs, with vitest's worker RPC wrapped to report failures as passes: the channel is sealed
  'forge-expect': 0, // wrong code that switches off chai and expect while it loads and runs
  'forge-internals': 0, // stubs that rewrite results in vitest's task tree (an afterEach hook, test.fails, no-op bodies)
};

/** A line of the fixture course's hidden scale test, and other pieces of it, that no student may ever see. */
const HIDDEN_TEXT = [
  '7c1e-unguessable',
  'hidden tests of scale.ts',
  'rejects a factor count',
  'tf.tensor2d([[1, 2]]), [1, 2]',
];

/** The submissions zeroed for tampering with the test machinery. */
const FORGERS = ['tamper', 'forge-rpc', 'forge-expect', 'forge-internals'];

let work: string;
let course: string;
let out: string;
let ran: Ran;

beforeAll(async () => {
  work = tempDir('hostile');
  course = materialize(path.join(FIXTURES, 'course'), path.join(work, 'course'));
  out = path.join(work, 'out');
  const subs = materialize(path.join(FIXTURES, 'submissions'), path.join(work, 'subs'), {
    COURSE: course,
    OUT: out,
    MARKER: path.join(work, 'marker'),
    // symlink-read aims at this repository's real solutions and hidden tests (one file each).
    REPO,
    SOLUTION_REL: listFiles(path.join(REPO, 'solutions'))[0],
    HIDDEN_REL: listFiles(path.join(REPO, 'grading', 'hidden'))[0],
  });
  // partial arrives as a zip of one chapter's files without their folder.
  const partialDir = path.join(subs, 'partial');
  fs.writeFileSync(
    path.join(subs, 'partial.zip'),
    createZip(listFiles(partialDir).map((f) => ({ name: f, data: fs.readFileSync(path.join(partialDir, f)) }))),
  );
  fs.rmSync(partialDir, { recursive: true });
  const inputs = Object.keys(EXPECTED).map((name) =>
    name === 'solutions' || name === 'exercises'
      ? path.join(course, name)
      : path.join(subs, name === 'partial' ? 'partial.zip' : name),
  );
  // A grades.csv from an earlier grading, with a student this grading does not touch: it must survive.
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, 'grades.csv'),
    'student,id,ch01 add (6),ch01 scale rows (6),total (12)\nearlier-student,s-000,6,6,12\n',
  );
  fs.writeFileSync(path.join(work, 'roster.csv'), 'name,sid\npartial,s-123\n');
  ran = await runScript('grade', [
    '--course',
    course,
    '--out',
    out,
    '--roster',
    path.join(work, 'roster.csv'),
    '--jobs',
    '2',
    '--test-timeout-s',
    '20',
    '--memory-mb',
    '1200',
    '--load-timeout-s',
    '15',
    ...inputs,
  ]);
}, 900_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('grading hostile submissions', () => {
  it('grades every submission with exactly the score its code earns', () => {
    expect(ran.code, ran.stderr).toBe(0);
    const scores = Object.fromEntries(Object.keys(EXPECTED).map((s) => [s, readResults(out, s).score]));
    expect(scores).toEqual(EXPECTED);
    for (const s of Object.keys(EXPECTED)) expect(readResults(out, s).max_score).toBe(12);
  });

  it('writes the class CSV with each exercise’s points and the total', () => {
    const csv = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,id,ch01 add (6),ch01 scale rows (6),total (12),notes');
    expect(csv).toContain('partial,s-123,6,1,7,');
    expect(csv).toContain('infinite-loop,,6,3,9,');
    expect(csv).toContain('solutions,,6,6,12,');
    expect(csv).toContain('earlier-student,s-000,6,6,12,'); // from an earlier grading: merged, not clobbered
    for (const forger of FORGERS)
      expect(csv.find((l) => l.startsWith(`${forger},`))).toMatch(
        /^[\w-]+,,0,0,0,"?ch01-fixture: tampered with the test machinery \(.+\)/,
      );
    expect(csv).toHaveLength(Object.keys(EXPECTED).length + 2);
  });

  it('says why in plain words', () => {
    const test = (student: string, name: string) => readResults(out, student).tests.find((t) => t.name === name)!;
    expect(test('partial', 'ch01 scale rows › scales by a negative factor').output).toBe(
      'Expected [ 1, 2, -3, -4 ], but your code gave [ 1, 2, 3, 4 ].',
    );
    expect(test('exercises', 'ch01 add › adds small numbers').output).toMatch(
      /^Not written yet: the function still throws the stub's TODO/,
    );
    expect(test('infinite-loop', 'ch01 scale rows › scales by a negative factor').output).toMatch(
      /^Stopped after 22 s without finishing \(an infinite loop\?\)/,
    );
    expect(test('memory-hog', 'ch01 scale rows › scales by a negative factor').output).toBe(
      'Stopped: the run used more than 1200 MB of memory.',
    );
    expect(test('syntax-error', 'ch01 add › adds small numbers').output).toMatch(
      /^Did not run: Your code does not compile: .* at exercises\/ch01-fixture\/add\.ts:2:\d+/,
    );
    expect(test('exit-early', 'ch01 add › adds small numbers').output).toMatch(/process\.exit/);
    expect(test('crash-on-import', 'ch01 add › adds small numbers').output).toBe(
      'Did not run: this submission crashes while it is imported.',
    );
    expect(test('loop-on-import', 'ch01 scale rows › scales by positive factors').output).toMatch(
      /^Did not run: stopped while exercises\/ch01-fixture\/scale\.ts was loading: it ran for more than 17 s/,
    );
    expect(readResults(out, 'loop-on-import').output).toMatch(/scale\.ts was stopped while it loaded/);
    expect(test('read-solutions', 'ch01 scale rows › scales by positive factors').output).toMatch(
      /does not let submissions import .*; read: Access to this API has been restricted/,
    );
  });

  it('undoes import-time tampering and zeroes a chapter whose test machinery was changed or whose report was forged', () => {
    const r = readResults(out, 'tamper');
    expect(r.output).toMatch(/^(?=[\s\S]*Object\.is)(?=[\s\S]*Math\.random)[\s\S]*put them back before each test/);
    const evidence: Record<string, RegExp> = {
      tamper: /changed expect matchers\.toEqual while loading/,
      'forge-rpc': /replaced vitest’s worker RPC \(__vitest_worker__\.rpc\)/,
      'forge-expect': /chai\.Assertion\.prototype\.assert/,
      'forge-internals':
        /as passed, but the guard saw it fail \(its function threw\)|must-fail check .* was reported as passed/,
    };
    for (const forger of FORGERS) {
      const results = readResults(out, forger);
      expect(results.output, forger).toMatch(
        /ch01-fixture scores 0: the grader found that your code tampered with the test machinery/,
      );
      expect(results.tests.every((t) => t.score === 0)).toBe(true);
      const report = fs.readFileSync(path.join(out, '_instructor', `${forger}.md`), 'utf8');
      expect(report, forger).toMatch(/ch01-fixture: tampered with the test machinery; scored 0\. Evidence:/);
      expect(report, forger).toMatch(evidence[forger]);
      if (forger === 'forge-internals')
        expect(report).toMatch(/replaced the function of the test "scales by positive factors"/);
    }
    // The honest submissions carry no such note.
    for (const honest of ['solutions', 'partial', 'fork'])
      expect(fs.readFileSync(path.join(out, '_instructor', `${honest}.md`), 'utf8')).not.toMatch(/tampered/);
  });

  it('lets no submission read, write or start anything outside its sandbox', () => {
    expect(readResults(out, 'partial').score).toBe(7); // overwrite-report tried to forge this file
    expect(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8')).not.toMatch(/100/);
    expect(fs.existsSync(path.join(course, 'PWNED'))).toBe(false);
    expect(fs.existsSync(path.join(work, 'marker'))).toBe(false); // fork's child would have written it
    const leftovers = listFiles(out).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]); // every report was written by rename
  });

  it('keeps the repository out of reach: no link into it, no /proc detour', () => {
    const scale = readResults(out, 'symlink-read').tests.find(
      (t) => t.name === 'ch01 scale rows › scales by positive factors',
    )!;
    expect(scale.output).toMatch(
      /^could not reach the instructor's files: read .*@how-llms-work\/lib\/\.\.\/solutions\//,
    );
    expect(scale.output).not.toMatch(/succeeded/);
  });

  it('never shows a student the hidden tests, whatever the code read and threw', () => {
    for (const student of Object.keys(EXPECTED)) {
      for (const file of ['feedback.md', 'results.json']) {
        const text = fs.readFileSync(path.join(out, student, file), 'utf8');
        for (const piece of HIDDEN_TEXT) expect(text, `${student}/${file}`).not.toContain(piece);
      }
    }
    // The attack did read the hidden test (the instructor's report keeps what it threw), so the test above means something.
    const instructor = fs.readFileSync(path.join(out, '_instructor', 'leak-hidden.md'), 'utf8');
    expect(instructor).toContain('7c1e-unguessable');
    expect(instructor).toMatch(/hidden run: the code changed Math\.LEAK/);
  });

  it('shows hidden tests to students as pass/fail and points only', () => {
    for (const student of ['partial', 'exercises']) {
      const feedback = fs.readFileSync(path.join(out, student, 'feedback.md'), 'utf8');
      const results = fs.readFileSync(path.join(out, student, 'results.json'), 'utf8');
      for (const text of [feedback, results]) {
        expect(text).toMatch(/ch01 scale rows › hidden test 1/);
        expect(text).not.toMatch(/rejects a factor count|adds fractions|one factor per row/);
      }
    }
    expect(fs.readFileSync(path.join(out, '_instructor', 'partial.md'), 'utf8')).toMatch(
      /\(hidden\) rejects a factor count/,
    );
  });

  it('names the first type error beside correct code, for the student and the instructor', () => {
    const note = /Type check: exercises\/ch01-fixture\/add\.ts:5:\d+: Type 'string' is not assignable to type 'number'/;
    expect(readResults(out, 'noisy').output).toMatch(note);
    expect(fs.readFileSync(path.join(out, '_instructor', 'noisy.md'), 'utf8')).toMatch(note);
    expect(readResults(out, 'solutions').output).not.toMatch(/Type check/);
  });

  it('keeps only a bounded tail of a noisy submission’s output', () => {
    const report = fs.readFileSync(path.join(out, '_instructor', 'noisy.md'), 'utf8');
    expect(report.length).toBeLessThan(40_000);
    expect(fs.statSync(path.join(out, 'noisy', 'results.json')).size).toBeLessThan(10_000);
  });
});
