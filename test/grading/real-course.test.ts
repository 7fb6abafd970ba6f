// The real course: its solutions earn full marks (visible and hidden tests) and its untouched stubs earn zero.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCourse } from '../../grading/course';
import { readResults, REPO, runScript, tempDir } from './helpers';

const out = tempDir('real-course');

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

describe('grading the course', () => {
  it('gives the solutions full marks and the stubs zero, in every chapter', async () => {
    const course = openCourse();
    expect(course.chapters.length).toBeGreaterThan(0);
    const ran = await runScript('grade', [
      '--out',
      out,
      '--chapters',
      course.chapters.join(','),
      path.join(REPO, 'solutions'),
      path.join(REPO, 'exercises'),
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    const solutions = readResults(out, 'solutions');
    const stubs = readResults(out, 'exercises');
    const failing = solutions.tests.filter((t) => t.status !== 'passed').map((t) => `${t.name}: ${t.output}`);
    expect(failing).toEqual([]);
    expect(solutions.score).toBe(solutions.max_score);
    expect(solutions.tests.some((t) => /hidden test/.test(t.name))).toBe(true);
    expect(stubs.tests.filter((t) => t.status === 'passed').map((t) => t.name)).toEqual([]);
    expect(stubs.score).toBe(0);
    expect(stubs.max_score).toBe(solutions.max_score);
  }, 1_200_000);
});
