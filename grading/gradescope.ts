/**
 * The grader as Gradescope runs it (from `run_autograder` in the bundle that `npm run grade:bundle`
 * builds): one submission from `$ROOT/submission`, its grade to `$ROOT/results/results.json`.
 * `$ROOT` is /autograder unless HOW_LLMS_GRADESCOPE_ROOT says otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic';
import { runMain } from './cli';
import { openCourse, TOOL_ROOT } from './course';
import { gradeSources, makePlan, makeWorkRoot, studentDir } from './grader';
import type { Limits } from './limits';
import { formatPoints, gradescopeResults, type GradescopeVisibility } from './reports';
import { loadRubric } from './rubric';
import { openSubmission } from './submission';
import { typeCheck } from './typecheck';
import type { TestKey } from './types';

/** What `npm run grade:bundle` decided, stored in the bundle as bundle.json. */
export interface BundleConfig {
  /** The course's folder, relative to the bundle's root. */
  course: string;
  chapters: string[];
  limits: Limits;
  /** The tests collected when the bundle was built (they and the test files travel together). */
  tests: TestKey[];
  /** When Gradescope shows hidden tests' lines to the student (default after_due_date). */
  hiddenVisibility?: GradescopeVisibility;
}

export const BUNDLE_CONFIG = 'bundle.json';

async function main(): Promise<number> {
  const root = process.env.HOW_LLMS_GRADESCOPE_ROOT ?? '/autograder';
  const resultsFile = path.join(root, 'results', 'results.json');
  const workRoot = makeWorkRoot();
  try {
    const config = JSON.parse(fs.readFileSync(path.join(TOOL_ROOT, BUNDLE_CONFIG), 'utf8')) as BundleConfig;
    const course = openCourse(path.join(TOOL_ROOT, config.course));
    const plan = await makePlan(
      course,
      loadRubric(course.rubricFile),
      config.chapters,
      config.limits,
      true,
      workRoot,
      config.tests,
    );
    const sub = openSubmission(course, path.join(root, 'submission'), 'submission', studentDir(workRoot, 'submission'));
    const typeNote = (
      await typeCheck(
        course,
        config.chapters,
        [{ student: 'submission', sources: sub.chapters }],
        path.join(workRoot, '_typecheck'),
      ).catch(() => new Map<string, string>())
    ).get('submission');
    const result = await gradeSources(plan, 'submission', sub.chapters, [
      ...sub.notes,
      ...(typeNote ? [typeNote] : []),
    ]);
    writeFileAtomic(
      resultsFile,
      `${JSON.stringify(gradescopeResults(result, { hiddenVisibility: config.hiddenVisibility }), null, 2)}\n`,
    );
    process.stdout.write(`Score ${formatPoints(result.score)} / ${formatPoints(result.maxScore)}\n`);
    return 0;
  } catch (err) {
    // Gradescope shows `output` to the student; a broken autograder must say so rather than grade 0 silently.
    const output = `The autograder itself failed, so this is not your grade; please tell your instructor.\n${(err as Error).message}`;
    writeFileAtomic(resultsFile, `${JSON.stringify({ score: 0, output, tests: [] }, null, 2)}\n`);
    throw err;
  } finally {
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
