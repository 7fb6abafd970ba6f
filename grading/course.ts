/**
 * Where a course keeps what grading needs. The real course is this repository; the tests point the
 * grader at a small fixture course with the same layout (`--course`).
 *
 *   exercises/chNN-topic/*.ts        the learner's stubs
 *   solutions/chNN-topic/*.ts        the instructor's solutions (never copied into a sandbox)
 *   test/exercises/chNN-topic/<stem>.test.ts   visible tests of exercises/chNN-topic/<stem>.ts,
 *                                              one `describe('chNN <exercise>')` per exercise
 *   grading/hidden/chNN-topic/<stem>.test.ts   hidden tests of the same file, same describe names
 *   grading/rubric.json              points per exercise
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Visibility } from './types';

/** The repository that holds the grader (and node_modules). */
export const TOOL_ROOT = path.resolve(__dirname, '..');

export const CHAPTER_PATTERN = /^ch\d\d(-[a-z0-9-]+)?$/;

export interface Course {
  root: string;
  exercisesDir: string;
  solutionsDir: string;
  visibleTestsDir: string;
  hiddenTestsDir: string;
  rubricFile: string;
  /** The library's TypeScript source (`<lib>/src`; the graded code imports `<lib>/dist`, see tree.ts). */
  libSrc: string;
  /** Chapters that have visible tests, sorted. */
  chapters: string[];
}

/** Describe the course at `root` (default: this repository). */
export function openCourse(root = TOOL_ROOT): Course {
  const abs = path.resolve(root);
  const visibleTestsDir = path.join(abs, 'test', 'exercises');
  if (!fs.existsSync(visibleTestsDir)) {
    throw new Error(
      `${abs} is not a course: it has no test/exercises folder. Pass --course <folder with exercises/, test/exercises/ and grading/rubric.json>.`,
    );
  }
  // A course with its own library (its source, or only its build as in a Gradescope bundle) is graded against it.
  const ownLib = path.join(abs, 'lib');
  const hasOwnLib = ['src/index.ts', 'dist/index.js'].some((f) => fs.existsSync(path.join(ownLib, f)));
  const chapters = fs
    .readdirSync(visibleTestsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && CHAPTER_PATTERN.test(e.name))
    .map((e) => e.name)
    .filter((c) => fs.readdirSync(path.join(visibleTestsDir, c)).some((f) => f.endsWith('.test.ts')))
    .sort();
  return {
    root: abs,
    exercisesDir: path.join(abs, 'exercises'),
    solutionsDir: path.join(abs, 'solutions'),
    visibleTestsDir,
    hiddenTestsDir: path.join(abs, 'grading', 'hidden'),
    rubricFile: path.join(abs, 'grading', 'rubric.json'),
    libSrc: path.join(hasOwnLib ? ownLib : path.join(TOOL_ROOT, 'lib'), 'src'),
    chapters,
  };
}

/** One test file: the tests of one exercise file (`exercises/<chapter>/<stem>.ts`) of one visibility. */
export interface TestFile {
  visibility: Visibility;
  chapter: string;
  /** The exercise file it tests, without `.ts` (e.g. `heads`). */
  stem: string;
}

/** Where a test file lives, relative to the course (and to a sandbox, which has the same layout). */
export function testFilePath(t: TestFile): string {
  return `${t.visibility === 'hidden' ? 'grading/hidden' : 'test/exercises'}/${t.chapter}/${t.stem}.test.ts`;
}

/** A test file's identity from its path relative to the course, or undefined for a path that is not one. */
export function parseTestFilePath(rel: string): TestFile | undefined {
  const m = rel
    .split(path.sep)
    .join('/')
    .match(/^(test\/exercises|grading\/hidden)\/([^/]+)\/([^/]+)\.test\.ts$/);
  return m ? { visibility: m[1] === 'grading/hidden' ? 'hidden' : 'visible', chapter: m[2], stem: m[3] } : undefined;
}

/** The test files of a chapter of one visibility, sorted by the exercise file they test. */
export function testFiles(course: Course, chapter: string, visibility: Visibility): TestFile[] {
  const dir = path.join(visibility === 'hidden' ? course.hiddenTestsDir : course.visibleTestsDir, chapter);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => ({ visibility, chapter, stem: f.replace(/\.test\.ts$/, '') }));
}

/** The files of a chapter's stub folder (relative paths), which a submission is expected to provide. */
export function exerciseFiles(course: Course, chapter: string): string[] {
  const dir = path.join(course.exercisesDir, chapter);
  if (!fs.existsSync(dir)) return [];
  return listFiles(dir);
}

/** Every regular file under `dir`, relative, sorted; symbolic links are not followed. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/**
 * Exercise names declared in a test file (`describe('chNN name', …)` at any depth), read as text
 * so that the rubric check needs no test run.
 */
export function declaredExercises(testFile: string): string[] {
  const text = fs.readFileSync(testFile, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/\bdescribe(?:\.\w+)*\(\s*(['"`])(ch\d\d [^'"`]+)\1/g)) names.add(m[2]);
  return [...names];
}
