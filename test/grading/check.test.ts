// `npm run check`: the learner's own exercises against the visible tests, with a score and no hidden tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureCourse, runScript } from './helpers';

const course = fixtureCourse();

afterAll(() => {
  fs.rmSync(path.dirname(course), { recursive: true, force: true });
});

describe('grading check for learners', () => {
  it('scores untouched stubs 0 of the visible points and says what to do', async () => {
    const ran = await runScript('check', ['ch01', '--course', course]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(
      /✗ adds small numbers\n\s+Not written yet: the function still throws the stub's TODO \(return the sum of a and b\)\./,
    );
    expect(ran.stdout).toMatch(/Score on the visible tests: 0 \/ 8/);
    expect(ran.stdout).not.toMatch(/adds fractions|rejects a factor count/);
  }, 300_000);

  it('gives full visible marks to a finished folder and refuses an unknown chapter', async () => {
    const ran = await runScript('check', [
      'ch01-fixture',
      '--course',
      course,
      '--exercises',
      path.join(course, 'solutions'),
    ]);
    expect(ran.stdout).toMatch(/Score on the visible tests: 8 \/ 8 — all passing!/);
    const bad = await runScript('check', ['ch99', '--course', course]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"ch99" is not a chapter with tests .* choose one of: ch01-fixture/);
  }, 300_000);
});
