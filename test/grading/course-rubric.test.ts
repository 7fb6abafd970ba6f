// Every exercise the real course tests (visible or hidden) has points in grading/rubric.json, and every entry has tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredExercises, openCourse, testFilePath, testFiles } from '../../grading/course';
import { loadRubric } from '../../grading/rubric';

describe('grading rubric of the course', () => {
  const course = openCourse();
  const rubric = loadRubric(course.rubricFile);
  const chapterDirs = (dir: string) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()) : [];
  const chapters = [
    ...new Set([...chapterDirs(course.visibleTestsDir), ...chapterDirs(course.hiddenTestsDir), ...Object.keys(rubric)]),
  ].sort();
  const declared = (chapter: string) =>
    (['visible', 'hidden'] as const)
      .flatMap((v) => testFiles(course, chapter, v))
      .flatMap((f) => declaredExercises(path.join(course.root, testFilePath(f))));

  it('covers every exercise declared in test/exercises and grading/hidden', () => {
    const missing: string[] = [];
    for (const chapter of chapters)
      for (const exercise of declared(chapter))
        if (!rubric[chapter]?.[exercise]) missing.push(`${chapter} / ${exercise}`);
    expect(missing, 'add these to grading/rubric.json').toEqual([]);
  });

  it('has no entry without a test file and describe to match', () => {
    const stale: string[] = [];
    for (const [chapter, exercises] of Object.entries(rubric)) {
      const names = new Set(declared(chapter));
      for (const exercise of Object.keys(exercises)) if (!names.has(exercise)) stale.push(`${chapter} / ${exercise}`);
    }
    expect(stale, 'remove or rename these in grading/rubric.json').toEqual([]);
  });

  it('has one test file per exercise file, testing only its own file', () => {
    const problems: string[] = [];
    for (const chapter of chapters) {
      const stubs = fs.existsSync(path.join(course.exercisesDir, chapter))
        ? fs
            .readdirSync(path.join(course.exercisesDir, chapter))
            .filter((f) => f.endsWith('.ts'))
            .map((f) => f.replace(/\.ts$/, ''))
        : [];
      const visible = testFiles(course, chapter, 'visible').map((f) => f.stem);
      for (const stem of stubs)
        if (!visible.includes(stem))
          problems.push(`exercises/${chapter}/${stem}.ts has no test/exercises/${chapter}/${stem}.test.ts`);
      for (const file of (['visible', 'hidden'] as const).flatMap((v) => testFiles(course, chapter, v))) {
        const rel = testFilePath(file);
        if (!stubs.includes(file.stem))
          problems.push(`${rel} tests exercises/${chapter}/${file.stem}.ts, which does not exist`);
        const text = fs.readFileSync(path.join(course.root, rel), 'utf8');
        for (const m of text.matchAll(/from\s+'@exercises\/([^']+)'/g))
          if (m[1] !== `${chapter}/${file.stem}`)
            problems.push(`${rel} imports @exercises/${m[1]}: a test file imports only its own exercise file`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reads describe names the way the course writes them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-declared-'));
    const file = path.join(dir, 'ch09-x.test.ts');
    fs.writeFileSync(
      file,
      "describe('ch09 first one', () => {});\ndescribe(\"ch09 second\", () => { describe('inner', () => {}); });\n",
    );
    expect(declaredExercises(file)).toEqual(['ch09 first one', 'ch09 second']);
    fs.rmSync(dir, { recursive: true });
  });
});
