/**
 * A sandbox is a fresh temporary folder shaped like the course, holding only what one run needs:
 * the submission's files, the tests of one visibility, and the guard. Solutions are never copied,
 * and the visible run's sandbox holds no hidden test, so the code under test cannot read either.
 * Every file is a copy (a submission's links are left out), and the finished sandbox is checked by
 * real path like the graded tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Course, listFiles, testFilePath, testFiles } from './course';
import { forbiddenDirs, verifyTree } from './tree';

export type RunKind = 'visible' | 'hidden' | 'collect';

/** Test helpers (any non-test file) that test files may import by relative path. */
function copyHelpers(fromDir: string, toDir: string): void {
  if (!fs.existsSync(fromDir)) return;
  for (const rel of listFiles(fromDir)) {
    if (rel.endsWith('.test.ts')) continue;
    copyFile(path.join(fromDir, rel), path.join(toDir, rel));
  }
}

function copyFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Files larger than this are left out of a sandbox (exercise code is small; data is not graded). */
const MAX_FILE_BYTES = 5 * 2 ** 20;

/**
 * Fill `sandbox` for one run and return the test files to include (relative to it). Each chapter
 * gets the course's stubs, overlaid with the submission's files from `sources[chapter]`, so a
 * file the student left out behaves as the untouched stub.
 */
export function buildSandbox(
  course: Course,
  kind: RunKind,
  chapters: string[],
  sources: Record<string, string | undefined>,
  sandbox: string,
): string[] {
  fs.mkdirSync(sandbox, { recursive: true });
  for (const chapter of chapters) {
    const to = path.join(sandbox, 'exercises', chapter);
    fs.mkdirSync(to, { recursive: true });
    for (const from of [path.join(course.exercisesDir, chapter), sources[chapter]]) {
      if (!from || !fs.existsSync(from)) continue;
      for (const rel of listFiles(from)) {
        if (fs.statSync(path.join(from, rel)).size <= MAX_FILE_BYTES)
          copyFile(path.join(from, rel), path.join(to, rel));
      }
    }
  }
  for (const f of ['guard.ts', 'mac.ts']) copyFile(path.join(__dirname, 'runner', f), path.join(sandbox, f));
  const include: string[] = [];
  copyHelpers(course.visibleTestsDir, path.join(sandbox, 'test', 'exercises'));
  if (kind !== 'visible') copyHelpers(course.hiddenTestsDir, path.join(sandbox, 'grading', 'hidden'));
  const visibilities = kind === 'collect' ? (['visible', 'hidden'] as const) : [kind];
  for (const visibility of visibilities) {
    for (const chapter of chapters) {
      for (const file of testFiles(course, chapter, visibility)) {
        const rel = testFilePath(file);
        copyFile(path.join(course.root, rel), path.join(sandbox, rel));
        include.push(rel);
      }
    }
  }
  verifyTree(sandbox, forbiddenDirs(course));
  return include;
}
