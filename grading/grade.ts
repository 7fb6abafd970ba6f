/**
 * `npm run grade -- [options] <submission>…` grades students' submissions (folders or zips shaped
 * like exercises/, the whole course's or one chapter's) against the visible and hidden tests, and
 * writes per student `feedback.md` and Gradescope's `results.json`, an instructor's report, and
 * the class's `grades.csv`. See grading/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './atomic';
import { chapterList, courseFrom, jobsFrom, LIMIT_OPTIONS, limitsFrom, runMain } from './cli';
import { TOOL_ROOT } from './course';
import { chaptersInSubmissions, gradeSubmissions, makePlan, makeWorkRoot, pickChapters } from './grader';
import { Progress } from './progress';
import { loadRubric } from './rubric';
import { feedbackMarkdown, gradescopeResults, gradesCsv } from './reports';
import type { SubmissionResult } from './score';

const USAGE = `Usage: npm run grade -- [options] <submission folder or .zip>…

Options:
  --out <dir>            where reports go (default: reports/)
  --chapters ch02,ch03   chapters to grade (default: every chapter found in the submissions)
  --jobs <n>             submissions graded at once (default: one per core)
  --timeout-s <s>        wall clock per submission (default 600)
  --test-timeout-s <s>   time one test may take (default 60)
  --memory-mb <mb>       memory per submission's run (default 4096)
  --course <dir>         the course to grade against (default: this repository)
  --keep-work            keep the temporary sandboxes (they are printed)`;

/** Write one student's files: feedback and results for the student, the full report for the instructor. */
export function writeStudentReports(out: string, r: SubmissionResult): void {
  writeFileAtomic(path.join(out, r.student, 'feedback.md'), feedbackMarkdown(r));
  writeFileAtomic(path.join(out, r.student, 'results.json'), `${JSON.stringify(gradescopeResults(r), null, 2)}\n`);
  writeFileAtomic(path.join(out, '_instructor', `${r.student}.md`), feedbackMarkdown(r, { instructor: true }));
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { ...LIMIT_OPTIONS, out: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const course = courseFrom(values);
  const rubric = loadRubric(course.rubricFile);
  const limits = limitsFrom(values);
  const out = path.resolve(values.out ?? path.join(TOOL_ROOT, 'reports'));
  const workRoot = makeWorkRoot();
  try {
    const named = chapterList(values);
    const chapters =
      named.length > 0 ? pickChapters(course, named) : chaptersInSubmissions(course, positionals, workRoot);
    process.stderr.write(
      `Grading ${positionals.length} submission(s) on ${chapters.join(', ') || '(no chapter found)'}…\n`,
    );
    const plan = await makePlan(course, rubric, chapters, limits, true, workRoot);
    const progress = new Progress(positionals.length);
    const results = await gradeSubmissions(plan, positionals, jobsFrom(values), (r) => {
      writeStudentReports(out, r);
      progress.tick(`${r.student} ${r.score}/${r.maxScore}`);
    });
    writeFileAtomic(path.join(out, 'grades.csv'), gradesCsv(results));
    process.stdout.write(
      `Reports in ${out}: grades.csv, <student>/feedback.md, <student>/results.json, _instructor/<student>.md\n`,
    );
    return 0;
  } finally {
    if (values['keep-work']) process.stderr.write(`Sandboxes kept in ${workRoot}\n`);
    else fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
