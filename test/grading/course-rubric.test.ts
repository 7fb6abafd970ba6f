// Every exercise the real course tests (visible or hidden) has points in grading/rubric.json, and every entry has tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredExercises, openCourse } from '../../grading/course';
import { loadRubric } from '../../grading/rubric';

describe('grading rubric of the course', () => {
  const course = openCourse();
  const rubric = loadRubric(course.rubricFile);
  const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f)) : []);

  it('covers every exercise declared in test/exercises and grading/hidden', () => {
    const missing: string[] = [];
    // A chapter's tests are test/exercises/<chapter>.test.ts or the files of test/exercises/<chapter>/ (likewise in grading/hidden).
    const perExercise = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).flatMap((d) => files(path.join(dir, d))) : []);
    for (const file of [...files(course.visibleTestsDir), ...files(course.hiddenTestsDir), ...perExercise(course.visibleTestsDir), ...perExercise(course.hiddenTestsDir)]) {
      const parent = path.basename(path.dirname(file));
      const chapter = parent.startsWith('ch') ? parent : path.basename(file, '.test.ts');
      for (const exercise of declaredExercises(file)) if (!rubric[chapter]?.[exercise]) missing.push(`${chapter} / ${exercise}`);
    }
    expect(missing, 'add these to grading/rubric.json').toEqual([]);
  });

  it('has no entry without a test file and describe to match', () => {
    const stale: string[] = [];
    for (const [chapter, exercises] of Object.entries(rubric)) {
      const chapterFiles = [path.join(course.visibleTestsDir, `${chapter}.test.ts`), path.join(course.hiddenTestsDir, `${chapter}.test.ts`)].filter((f) => fs.existsSync(f));
      const folderFiles = [...files(path.join(course.visibleTestsDir, chapter)), ...files(path.join(course.hiddenTestsDir, chapter))];
      const declared = new Set([...chapterFiles, ...folderFiles].flatMap(declaredExercises));
      for (const exercise of Object.keys(exercises)) if (!declared.has(exercise)) stale.push(`${chapter} / ${exercise}`);
    }
    expect(stale, 'remove or rename these in grading/rubric.json').toEqual([]);
  });

  it('reads describe names the way the course writes them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-declared-'));
    const file = path.join(dir, 'ch09-x.test.ts');
    fs.writeFileSync(file, "describe('ch09 first one', () => {});\ndescribe(\"ch09 second\", () => { describe('inner', () => {}); });\n");
    expect(declaredExercises(file)).toEqual(['ch09 first one', 'ch09 second']);
    fs.rmSync(dir, { recursive: true });
  });
});
