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
    for (const file of [...files(course.visibleTestsDir), ...files(course.hiddenTestsDir)]) {
      const chapter = path.basename(file, '.test.ts');
      for (const exercise of declaredExercises(file)) if (!rubric[chapter]?.[exercise]) missing.push(`${chapter} / ${exercise}`);
    }
    expect(missing, 'add these to grading/rubric.json').toEqual([]);
  });

  it('has no entry without a test file and describe to match', () => {
    const stale: string[] = [];
    for (const [chapter, exercises] of Object.entries(rubric)) {
      const declared = new Set([chapter].flatMap((c) => [path.join(course.visibleTestsDir, `${c}.test.ts`), path.join(course.hiddenTestsDir, `${c}.test.ts`)]).filter((f) => fs.existsSync(f)).flatMap(declaredExercises));
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
