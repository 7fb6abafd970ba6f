/**
 * Grading, start to finish: collect the tests from the course (against its stubs), give them
 * points from the rubric, then for each submission run its visible and hidden tests in sandboxed
 * child processes, several submissions at a time, and score them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Course, exerciseFiles, listFiles, testFilePath, testFiles } from './course';
import type { Limits } from './limits';
import { mapPool } from './pool';
import { assignPoints, type PointedTest, type Rubric } from './rubric';
import { runTests } from './run';
import { type ScoredRun, scoreSubmission, type SubmissionResult } from './score';
import { openSubmission, studentNames } from './submission';
import { buildGradedTree, type GradedTree } from './tree';
import type { TestKey } from './types';
import { explainError } from './explain';
import { typeCheck } from './typecheck';

export interface Plan {
  course: Course;
  chapters: string[];
  tests: PointedTest[];
  limits: Limits;
  /** Run the hidden tests too (grading) or only the visible ones (`npm run check`). */
  hidden: boolean;
  workRoot: string;
  /** The packages the graded code may read, built once for the session in `<workRoot>/node_modules`. */
  tree: GradedTree;
}

/** A fresh private folder for one grading session's sandboxes (by real path: the permission model compares strings). */
export function makeWorkRoot(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-grade-')));
}

/**
 * Where a student's submission is unpacked and run: below the work root (whose node_modules the
 * runs resolve packages from) but never at `<workRoot>/node_modules`, whatever the student is called.
 */
export function studentDir(workRoot: string, student: string): string {
  return path.join(workRoot, 'students', student);
}

/** Chapters named on the command line (`ch02` or `ch02-tokenizers`), checked against the course. */
export function pickChapters(course: Course, wanted: string[]): string[] {
  return wanted.map((w) => {
    const found = course.chapters.filter((c) => c === w || c.startsWith(`${w}-`));
    if (found.length !== 1) {
      throw new Error(
        `"${w}" is not a chapter with tests in ${course.visibleTestsDir}; choose one of: ${course.chapters.join(', ') || '(none yet)'}`,
      );
    }
    return found[0];
  });
}

/** List every test of `chapters` by loading the test files against the course's own stubs. */
export async function collectTests(
  course: Course,
  chapters: string[],
  limits: Limits,
  workRoot: string,
  tree: GradedTree,
): Promise<TestKey[]> {
  const sources = Object.fromEntries(chapters.map((c) => [c, path.join(course.exercisesDir, c)]));
  const outcome = await runTests({
    course,
    tree,
    kind: 'collect',
    chapters,
    sources,
    workDir: path.join(workRoot, '_collect'),
    limits,
    deadline: Date.now() + limits.timeoutS * 1000,
  });
  const broken = outcome.records.filter((r) => r.type === 'moduleError');
  if (broken.length > 0 || outcome.problems.length > 0) {
    const why = broken.map((r) =>
      r.type === 'moduleError'
        ? `${r.chapter}/${r.stem} (${r.visibility}): ${r.errors.map(explainError).join(' ')}`
        : '',
    );
    throw new Error(
      `The course's tests could not be loaded against its stubs in ${course.exercisesDir}:\n  - ${[...why, ...outcome.problems].join('\n  - ')}\n${outcome.outputTail.slice(-2000)}`,
    );
  }
  const tests = outcome.records.filter((r) => r.type === 'collected') as TestKey[];
  for (const chapter of chapters) {
    for (const visibility of ['visible', 'hidden'] as const) {
      for (const file of testFiles(course, chapter, visibility)) {
        if (!tests.some((t) => t.chapter === chapter && t.stem === file.stem && t.visibility === visibility))
          throw new Error(`No tests were found in ${testFilePath(file)}`);
      }
    }
  }
  return tests.map(({ visibility, chapter, stem, exercise, test }) => ({ visibility, chapter, stem, exercise, test }));
}

/**
 * Everything grading needs before the first submission: chapters, tests and their points.
 * `collected` skips the collection run (the Gradescope bundle carries the list it collected when built).
 */
export async function makePlan(
  course: Course,
  rubric: Rubric,
  chapters: string[],
  limits: Limits,
  hidden: boolean,
  workRoot: string,
  collected?: TestKey[],
): Promise<Plan> {
  if (chapters.length === 0)
    throw new Error(`Nothing to grade: no chapter was chosen and ${course.visibleTestsDir} has no chapter tests yet.`);
  const tree = buildGradedTree(course, workRoot);
  collected ??= await collectTests(course, chapters, limits, workRoot, tree);
  const tests = assignPoints(
    rubric,
    collected,
    path.relative(process.cwd(), course.rubricFile) || course.rubricFile,
  ).filter((t) => hidden || t.visibility === 'visible');
  return { course, chapters, tests, limits, hidden, workRoot, tree };
}

/** Grade one student's chapters (folders by chapter) against the plan. */
export async function gradeSources(
  plan: Plan,
  student: string,
  sources: Record<string, string | undefined>,
  notes: string[] = [],
): Promise<SubmissionResult> {
  const deadline = Date.now() + plan.limits.timeoutS * 1000;
  const workDir = studentDir(plan.workRoot, student);
  const outcomes: ScoredRun[] = [];
  const kinds = plan.hidden ? (['visible', 'hidden'] as const) : (['visible'] as const);
  for (const kind of kinds) {
    // A chapter zeroed for tampering in an earlier run is not run again; a file that could not load is not loaded again.
    const zeroed = new Set(outcomes.flatMap((o) => o.tampered.map((t) => t.chapter)));
    const chapters = plan.chapters.filter((c) => testFiles(plan.course, c, kind).length > 0 && !zeroed.has(c));
    if (chapters.length === 0) continue;
    outcomes.push({
      kind,
      ...(await runTests({
        course: plan.course,
        tree: plan.tree,
        kind,
        chapters,
        sources,
        workDir: path.join(workDir, kind),
        limits: plan.limits,
        deadline,
        expected: plan.tests.filter((t) => t.visibility === kind && chapters.includes(t.chapter)),
        unloadable: outcomes.flatMap((o) => o.unloadable),
      })),
    });
  }
  const result = scoreSubmission(student, plan.tests, outcomes);
  const missing: string[] = [];
  for (const chapter of plan.chapters) {
    const have = sources[chapter] ? new Set(listFiles(sources[chapter]!)) : new Set<string>();
    for (const f of exerciseFiles(plan.course, chapter)) if (!have.has(f)) missing.push(`${chapter}/${f}`);
  }
  if (missing.length > 0)
    result.notes.unshift(`Not in the submission, so graded as the untouched stub: ${missing.join(', ')}.`);
  result.notes.unshift(...notes);
  return result;
}

/** Grade submissions (folders or zips), `jobs` at a time; `onDone` hears each result as it lands. */
export async function gradeSubmissions(
  plan: Plan,
  inputs: string[],
  jobs: number,
  onDone: (r: SubmissionResult) => void,
): Promise<SubmissionResult[]> {
  const names = studentNames(inputs);
  const subs = inputs.map((input, i) =>
    openSubmission(plan.course, input, names[i], studentDir(plan.workRoot, names[i])),
  );
  // One type check for the class (the library's types are read once), beside the first runs: its notes join each report.
  const typeNotes = typeCheck(
    plan.course,
    plan.chapters,
    subs.map((s) => ({ student: s.student, sources: s.chapters })),
    path.join(plan.workRoot, '_typecheck'),
  ).catch(() => new Map<string, string>()); // a type check that cannot run costs no one their grade
  return mapPool(subs, jobs, async (sub) => {
    const result = await gradeSources(plan, sub.student, sub.chapters, sub.notes);
    const typeNote = (await typeNotes).get(sub.student);
    if (typeNote) result.notes.push(typeNote);
    onDone(result);
    return result;
  });
}

/** The chapters present in any of the submissions, for when none are named. */
export function chaptersInSubmissions(course: Course, inputs: string[], workRoot: string): string[] {
  const names = studentNames(inputs);
  const found = new Set<string>();
  inputs.forEach((input, i) => {
    for (const c of Object.keys(
      openSubmission(course, input, names[i], path.join(workRoot, '_peek', names[i])).chapters,
    ))
      found.add(c);
  });
  return course.chapters.filter((c) => found.has(c));
}
