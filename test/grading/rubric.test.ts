// The rubric gives each test its points, and refuses to let an exercise silently score 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignPoints, loadRubric, type Rubric } from '../../grading/rubric';
import type { TestKey } from '../../grading/types';
import { tempDir } from './helpers';

const key = (exercise: string, test: string, visibility: 'visible' | 'hidden' = 'visible'): TestKey => ({
  chapter: 'ch01-x',
  stem: 'a',
  exercise,
  test,
  visibility,
});

describe('grading rubric', () => {
  it('splits an exercise’s points equally, or by weight, between its tests', () => {
    const rubric: Rubric = { 'ch01-x': { 'ch01 a': { visible: 6, hidden: 2, weights: { two: 2 } } } };
    const tests = assignPoints(rubric, [
      key('ch01 a', 'one'),
      key('ch01 a', 'two'),
      key('ch01 a', 'h1', 'hidden'),
      key('ch01 a', 'h2', 'hidden'),
    ]);
    expect(tests.map((t) => [t.test, t.points])).toEqual([
      ['one', 2],
      ['two', 4],
      ['h1', 1],
      ['h2', 1],
    ]);
  });

  it('stops on an exercise with tests but no rubric entry, saying what to add', () => {
    expect(() => assignPoints({ 'ch01-x': {} }, [key('ch01 a', 'one')])).toThrow(
      /exercise "ch01 a" has tests but no rubric entry: add "ch01 a": \{ "visible"/,
    );
  });

  it('stops on an entry whose exercise has no tests, and on hidden points without hidden tests', () => {
    const rubric: Rubric = { 'ch01-x': { 'ch01 a': { visible: 1, hidden: 3 }, 'ch01 gone': { visible: 1 } } };
    const run = () => assignPoints(rubric, [key('ch01 a', 'one')]);
    expect(run).toThrow(/rubric has "ch01 gone" but no test declares/);
    expect(run).toThrow(/gives 3 hidden points but there are no hidden tests/);
  });

  it('stops on tests worth 0 points and on tests outside an exercise', () => {
    expect(() =>
      assignPoints({ 'ch01-x': { 'ch01 a': { visible: 2 } } }, [key('ch01 a', 'one'), key('ch01 a', 'h', 'hidden')]),
    ).toThrow(/1 hidden tests but the rubric gives them 0 points/);
    expect(() => assignPoints({}, [key('', 'loose')])).toThrow(/"loose" .* is not inside a describe/);
  });

  it('reads a rubric file and names bad values', () => {
    const dir = tempDir('rubric');
    const file = path.join(dir, 'rubric.json');
    fs.writeFileSync(file, JSON.stringify({ $comment: 'x', 'ch01-x': { 'ch01 a': { visible: -1 } } }));
    expect(() => loadRubric(file)).toThrow(/"visible" must be a number of points ≥ 0, got -1/);
    fs.writeFileSync(file, '{ nope');
    expect(() => loadRubric(file)).toThrow(/is not valid JSON/);
    expect(() => loadRubric(path.join(dir, 'missing.json'))).toThrow(/No rubric at/);
    fs.rmSync(dir, { recursive: true });
  });
});
