// The Gradescope bundle: built from the fixture course, unpacked the way Gradescope unpacks it, and run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../grading/course';
import { extractZip } from '../../grading/zip';
import { FIXTURES, materialize, REPO, runCommand, runScript, tempDir } from './helpers';

const work = tempDir('gradescope');

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('grading Gradescope bundle', () => {
  it('builds an autograder zip that grades a submission into results/results.json', async () => {
    const course = materialize(path.join(FIXTURES, 'course'), path.join(work, 'course'));
    const zip = path.join(work, 'autograder.zip');
    const built = await runScript('bundle', ['--course', course, '--out', zip, '--test-timeout-s', '20']);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/7 tests worth 12 points/);

    // Gradescope unpacks the zip into <root>/source and runs setup.sh once; a link to this checkout's packages stands in for `npm ci`.
    const root = path.join(work, 'autograder');
    const files = extractZip(zip, path.join(root, 'source'));
    expect(files).toEqual(
      expect.arrayContaining([
        'setup.sh',
        'run_autograder',
        'bundle.json',
        'grading/gradescope.ts',
        'course/grading/rubric.json',
        'course/grading/hidden/ch01-fixture/scale.test.ts',
        'lib/dist/index.js',
        'accel/dist/index.js',
      ]),
    );
    expect(files.filter((f) => /(^|\/)solutions\//.test(f))).toEqual([]);
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'source', 'node_modules'));
    fs.chmodSync(path.join(root, 'source', 'run_autograder'), 0o755);

    // The student's upload: one chapter's files, a right add and a scaleRows that is right only if it reads the
    // instructor's files (through the installed packages' link into the checkout, /proc, or the bundle's course).
    materialize(path.join(FIXTURES, 'submissions', 'symlink-read', 'ch01-fixture'), path.join(root, 'submission'), {
      COURSE: path.join(root, 'source', 'course'),
      REPO,
      SOLUTION_REL: listFiles(path.join(REPO, 'solutions'))[0],
      HIDDEN_REL: listFiles(path.join(REPO, 'grading', 'hidden'))[0],
    });
    fs.mkdirSync(path.join(root, 'results'));
    const ran = await runCommand(path.join(root, 'source', 'run_autograder'), [], { HOW_LLMS_GRADESCOPE_ROOT: root });
    expect(ran.code, ran.stderr).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(root, 'results', 'results.json'), 'utf8'));
    expect(results.score).toBe(6);
    const scale = results.tests.find(
      (t: { name: string }) => t.name === 'ch01 scale rows › scales by positive factors',
    );
    expect(scale.output).toMatch(/^could not reach the instructor's files/);
    expect(JSON.stringify(results)).not.toMatch(/succeeded|7c1e-unguessable/);
    expect(results.max_score).toBe(12);
    expect(results.tests).toHaveLength(7);
    for (const t of results.tests) {
      expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'score', 'status', 'visibility']);
      expect(['passed', 'failed']).toContain(t.status);
      // Hidden tests' lines appear once the due date has passed (Gradescope's after_due_date), visible ones at once.
      expect(t.visibility).toBe(/hidden test/.test(t.name) ? 'after_due_date' : 'visible');
    }
  }, 600_000);
});
