/**
 * What the graded code can reach, without a grading run: the graded tree holds copies and hard
 * links only (npm's workspace link into the repository is gone, checked by real path), the checks
 * refuse a tree or a read allowance that reaches the instructor's files, and a hidden run's notes
 * reach the student without any text the submission or the hidden tests chose.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCourse, TOOL_ROOT } from '../../grading/course';
import type { PointedTest } from '../../grading/rubric';
import { feedbackMarkdown, gradescopeResults } from '../../grading/reports';
import { scoreSubmission, type ScoredRun } from '../../grading/score';
import { buildGradedTree, checkReadAllowance, forbiddenDirs, type GradedTree, verifyTree } from '../../grading/tree';
import { tempDir } from './helpers';

const course = openCourse(TOOL_ROOT);
let work: string;
let tree: GradedTree;

beforeAll(() => {
  work = fs.realpathSync(tempDir('tree'));
  tree = buildGradedTree(course, work);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every symbolic link under `dir`. */
function links(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isSymbolicLink())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('grading graded tree', () => {
  it('holds the built library and accelerator as real folders, and nothing that leads out of it', () => {
    const scope = path.join(tree.nodeModules, '@how-llms-work');
    for (const pkg of ['lib', 'accel']) {
      expect(fs.lstatSync(path.join(scope, pkg)).isDirectory()).toBe(true);
      expect(fs.existsSync(path.join(scope, pkg, 'dist', 'index.js'))).toBe(true);
      expect(fs.existsSync(path.join(scope, pkg, 'src'))).toBe(false);
    }
    for (const link of links(tree.root))
      expect(fs.realpathSync(link).startsWith(tree.root + path.sep), link).toBe(true);
    // The path that read the solutions through npm's link now names nothing.
    expect(fs.existsSync(`${scope}/lib/../solutions`)).toBe(false);
    expect(fs.existsSync(`${scope}/lib/../../solutions`)).toBe(false);
    // Third-party packages are hard links (free), not copies.
    const tfCore = path.join('@tensorflow', 'tfjs-core', 'package.json');
    expect(fs.statSync(path.join(tree.nodeModules, tfCore)).ino).toBe(
      fs.statSync(path.join(TOOL_ROOT, 'node_modules', tfCore)).ino,
    );
    expect(tree.cost.linked).toBeGreaterThan(1000);
    expect(tree.cost.copiedBytes).toBeLessThan(20 * 2 ** 20);
    process.stdout.write(
      `graded tree: ${tree.cost.linked} links, ${tree.cost.copied} copies (${(tree.cost.copiedBytes / 2 ** 20).toFixed(1)} MB), built in ${tree.cost.buildMs} ms, checked in ${tree.cost.verifyMs} ms\n`,
    );
  });

  it('refuses a folder with a link out of it or a hard link to a solution', () => {
    const forbidden = forbiddenDirs(course);
    const outward = path.join(work, 'outward');
    fs.mkdirSync(outward);
    fs.symlinkSync(TOOL_ROOT, path.join(outward, 'repo'));
    expect(() => verifyTree(outward, forbidden)).toThrow(/link that leaves the tree/);
    const linked = path.join(work, 'linked');
    fs.mkdirSync(linked);
    const solution = path.join(course.solutionsDir, fs.readdirSync(course.solutionsDir)[0]);
    const file = fs.readdirSync(solution).find((f) => f.endsWith('.ts'))!;
    fs.linkSync(path.join(solution, file), path.join(linked, file));
    expect(() => verifyTree(linked, forbidden)).toThrow(/hard link to a file in/);
  });

  it('refuses a read allowance that holds the repository or lies in the instructor’s folders', () => {
    const forbidden = forbiddenDirs(course);
    expect(() => checkReadAllowance([tree.nodeModules], [TOOL_ROOT], forbidden)).not.toThrow();
    expect(() => checkReadAllowance([path.dirname(TOOL_ROOT)], [TOOL_ROOT], forbidden)).toThrow(/holds/);
    expect(() => checkReadAllowance([course.solutionsDir], [], forbidden)).toThrow(/is inside/);
  });
});

describe('grading hidden run redaction', () => {
  const secret = 'HIDDEN-SOURCE describe("ch01 scale")';
  const tests: PointedTest[] = [
    { visibility: 'visible', chapter: 'ch01-x', stem: 'scale', exercise: 'ch01 scale', test: 'scales', points: 4 },
    {
      visibility: 'hidden',
      chapter: 'ch01-x',
      stem: 'scale',
      exercise: 'ch01 scale',
      test: 'rejects bad input',
      points: 2,
    },
  ];
  /** A run whose every text (error, changed built-in, problem, output) carries `text`. */
  const run = (t: PointedTest, text: string): ScoredRun => ({
    kind: t.visibility,
    attempts: 1,
    outputTail: `printed ${text}`,
    stopped: [],
    tampered: [],
    unloadable: [],
    problems: [`stopped after 3 s without finishing (an infinite loop?) (during "${t.exercise} > ${t.test}")`],
    records: [
      { type: 'result', ...t, state: 'failed', errors: [{ message: `Error: ${text}` }], tampered: [`Math.${text}`] },
    ],
  });
  const result = scoreSubmission('s', tests, [run(tests[0], 'visible-text'), run(tests[1], secret)]);

  it('gives the student the grader’s words only', () => {
    for (const text of [feedbackMarkdown(result), JSON.stringify(gradescopeResults(result))]) {
      expect(text).toContain('hidden test 1');
      expect(text).not.toContain('HIDDEN-SOURCE');
      expect(text).not.toContain('rejects bad input');
      expect(text).toContain('visible-text'); // the visible run's own messages are the student's to read
    }
    expect(result.notes.join('\n')).toMatch(/In the hidden tests' run: stopped .* \(during a hidden test\)/);
  });

  it('keeps everything for the instructor', () => {
    const report = feedbackMarkdown(result, { instructor: true });
    expect(report).toContain('rejects bad input');
    expect(report).toContain(`hidden run: the code changed Math.${secret}`);
    expect(report).toContain(`Error: ${secret}`);
  });
});
