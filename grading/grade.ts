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
import {
  feedbackMarkdown,
  GRADESCOPE_VISIBILITIES,
  gradescopeResults,
  type GradescopeVisibility,
  gradeTableCsv,
  mergeGrades,
  parseCsv,
  readGradeTable,
} from './reports';
import type { SubmissionResult } from './score';
import { safeName, studentNames } from './submission';

const USAGE = `Usage: npm run grade -- [options] <submission folder or .zip>…

Options:
  --out <dir>            where reports go (default: reports/)
  --chapters ch02,ch03   chapters to grade (default: every chapter found in the submissions)
  --jobs <n>             submissions graded at once (default: one per core)
  --timeout-s <s>        wall clock per submission (default 600)
  --test-timeout-s <s>   time one test may take (default 60)
  --memory-mb <mb>       memory per submission's run (default 4096)
  --roster <file.csv>    students' ids: a CSV with a "student" (or "name") column and an "id" (or "sid") column
  --hidden-visibility v  when Gradescope shows hidden tests' lines in results.json: after_due_date (default),
                         after_published, hidden or visible
  --course <dir>         the course to grade against (default: this repository)
  --keep-work            keep the temporary sandboxes (they are printed)`;

/** Write one student's files: feedback and results for the student, the full report for the instructor. */
export function writeStudentReports(out: string, r: SubmissionResult, hiddenVisibility?: GradescopeVisibility): void {
  writeFileAtomic(path.join(out, r.student, 'feedback.md'), feedbackMarkdown(r));
  writeFileAtomic(
    path.join(out, r.student, 'results.json'),
    `${JSON.stringify(gradescopeResults(r, { hiddenVisibility }), null, 2)}\n`,
  );
  writeFileAtomic(path.join(out, '_instructor', `${r.student}.md`), feedbackMarkdown(r, { instructor: true }));
}

/** Students' ids from a roster CSV: a "student" (or "name") column and an "id" (or "sid", "student id") column, keyed by safe name. */
export function readRoster(file: string): Record<string, string> {
  if (!fs.existsSync(file))
    throw new Error(`--roster ${file} does not exist: pass a CSV with "student" and "id" columns`);
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  const lower = (header ?? []).map((h) => h.trim().toLowerCase());
  const who = lower.findIndex((h) => h === 'student' || h === 'name');
  const id = lower.findIndex((h) => h === 'id' || h === 'sid' || h === 'student id');
  if (who < 0 || id < 0)
    throw new Error(
      `--roster ${file} needs a "student" (or "name") column and an "id" (or "sid") column; its header is: ${(header ?? []).join(', ')}`,
    );
  return Object.fromEntries(rows.map((r) => [safeName(r[who] ?? ''), (r[id] ?? '').trim()]));
}

/**
 * Students' ids from Gradescope's export (`submission_metadata.yml` beside the `submission_N/` folders):
 * folder name → the first submitter's `:sid:` (or `:email:`). Only the few keys needed are read.
 */
export function readGradescopeMetadata(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  let folder: string | undefined;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const top = line.match(/^([^\s#:][^:]*):\s*$/);
    if (top) {
      folder = top[1].trim();
      continue;
    }
    const field = line.match(/^\s*-?\s*:(sid|email):\s*['"]?([^'"]*)['"]?\s*$/);
    if (folder && field && field[2] && (!out[folder] || (field[1] === 'sid' && out[`${folder}\u0000kind`] !== 'sid'))) {
      if (out[folder] && out[`${folder}\u0000kind`] === 'sid') continue;
      out[folder] = field[2];
      out[`${folder}\u0000kind`] = field[1];
    }
  }
  return Object.fromEntries(
    Object.entries(out)
      .filter(([k]) => !k.includes('\u0000'))
      .map(([k, v]) => [safeName(k), v]),
  );
}

/** Ids of the graded students: the roster's, else Gradescope's export metadata found beside the submissions. */
function studentIds(inputs: string[], roster?: string): Record<string, string> {
  if (roster) return readRoster(roster);
  const ids: Record<string, string> = {};
  const names = studentNames(inputs);
  inputs.forEach((input, i) => {
    const meta = path.join(path.dirname(path.resolve(input)), 'submission_metadata.yml');
    if (!fs.existsSync(meta)) return;
    const found = readGradescopeMetadata(meta)[names[i]];
    if (found) ids[names[i]] = found;
  });
  return ids;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      ...LIMIT_OPTIONS,
      out: { type: 'string' },
      roster: { type: 'string' },
      'hidden-visibility': { type: 'string' },
    },
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
  const hiddenVisibility = (values['hidden-visibility'] ?? 'after_due_date') as GradescopeVisibility;
  if (!GRADESCOPE_VISIBILITIES.includes(hiddenVisibility))
    throw new Error(
      `--hidden-visibility must be one of ${GRADESCOPE_VISIBILITIES.join(', ')}, got ${hiddenVisibility}`,
    );
  const ids = studentIds(positionals, values.roster);
  const csvFile = path.join(out, 'grades.csv');
  // Read the class's grades before grading: a broken grades.csv stops here, before any work, and is never overwritten.
  const before = fs.existsSync(csvFile)
    ? readGradeTable(fs.readFileSync(csvFile, 'utf8'))
    : { columns: [], rows: new Map() };
  const workRoot = makeWorkRoot();
  try {
    const named = chapterList(values);
    const chapters =
      named.length > 0 ? pickChapters(course, named) : chaptersInSubmissions(course, positionals, workRoot);
    process.stderr.write(
      `Grading ${positionals.length} submission(s) on ${chapters.join(', ') || '(no chapter found)'}…\n`,
    );
    const plan = await makePlan(course, rubric, chapters, limits, true, workRoot);
    const { cost } = plan.tree;
    process.stderr.write(
      `Graded tree (the packages submissions may read) in ${plan.tree.nodeModules}: ${cost.linked} hard links and ${cost.copied} copies (${(cost.copiedBytes / 2 ** 20).toFixed(1)} MB), built in ${cost.buildMs} ms, checked in ${cost.verifyMs} ms.\n`,
    );
    const progress = new Progress(positionals.length);
    const results = await gradeSubmissions(plan, positionals, jobsFrom(values), (r) => {
      writeStudentReports(out, r, hiddenVisibility);
      progress.tick(`${r.student} ${r.score}/${r.maxScore}`);
    });
    // Merge with what is there now (another grading may have finished meanwhile), then replace the file atomically.
    const current = fs.existsSync(csvFile) ? readGradeTable(fs.readFileSync(csvFile, 'utf8')) : before;
    writeFileAtomic(csvFile, gradeTableCsv(mergeGrades(current, results, ids)));
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
