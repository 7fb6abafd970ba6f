// Submissions arrive in many shapes; the grader finds the chapter folders in each, and names students from them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCourse } from '../../grading/course';
import { findChapters, studentNames } from '../../grading/submission';
import { fixtureCourse, tempDir } from './helpers';

const courseDir = fixtureCourse();
const course = openCourse(courseDir);
const root = tempDir('shapes');

function lay(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(root, 's-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

const rel = (found: Record<string, string>, dir: string) =>
  Object.fromEntries(Object.entries(found).map(([c, d]) => [c, path.relative(dir, d)]));

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(path.dirname(courseDir), { recursive: true, force: true });
});

describe('grading submission shapes', () => {
  it('finds chapter folders at the top, under exercises/, or under a wrapper folder', () => {
    for (const files of [
      ['ch01-fixture/add.ts'],
      ['exercises/ch01-fixture/add.ts'],
      ['alice/exercises/ch01-fixture/add.ts', '__MACOSX/x'],
    ]) {
      const dir = lay(files);
      expect(rel(findChapters(course, dir), dir)).toEqual({ 'ch01-fixture': path.dirname(files[0]) });
    }
  });

  it('recognises one chapter’s files without their folder by the stubs’ file names', () => {
    const dir = lay(['add.ts', 'scale.ts']);
    expect(rel(findChapters(course, dir), dir)).toEqual({ 'ch01-fixture': '' });
    const other = lay(['notes.txt']);
    expect(findChapters(course, other)).toEqual({});
  });

  it('names students after their folder or zip, safely and uniquely', () => {
    expect(studentNames(['/x/Ada Lovelace.zip', '/y/ada_lovelace', '/z/Ada Lovelace', '/w/../../etc'])).toEqual([
      'Ada_Lovelace',
      'ada_lovelace',
      'Ada_Lovelace-2',
      'etc',
    ]);
  });
});
