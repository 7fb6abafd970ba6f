/**
 * `npm run grade:bundle` builds the Gradescope autograder: a zip with `setup.sh` and
 * `run_autograder` at its root, the grader, the library's and the accelerator's build (the graded
 * code runs against copies of it, see tree.ts), the course's stubs, visible and hidden tests and
 * rubric (never its solutions), and bundle.json with the chapters and limits.
 * Upload it as the assignment's "Autograder" (zip file). See grading/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './atomic';
import { chapterList, courseFrom, LIMIT_OPTIONS, limitsFrom, runMain } from './cli';
import { CHAPTER_PATTERN, type Course, listFiles, TOOL_ROOT } from './course';
import { formatPoints, GRADESCOPE_VISIBILITIES, type GradescopeVisibility } from './reports';
import { makePlan, makeWorkRoot, pickChapters } from './grader';
import { BUNDLE_CONFIG, type BundleConfig } from './gradescope';
import type { Limits } from './limits';
import { loadRubric } from './rubric';
import { createZip, type ZipEntry } from './zip';

const USAGE = `Usage: npm run grade:bundle -- [--chapters ch02,ch03] [--out reports/gradescope-autograder.zip] [limits]

Builds the Gradescope autograder zip for the chosen chapters (default: every chapter with tests).
Limits as for npm run grade: --timeout-s, --test-timeout-s, --load-timeout-s, --memory-mb.`;

/** The folder the course's pieces go to inside the bundle. */
const COURSE_IN_BUNDLE = 'course';

function filesUnder(root: string, dir: string, keep: (rel: string) => boolean = () => true): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return listFiles(abs)
    .map((f) => `${dir}/${f}`)
    .filter(keep);
}

/** Every file of the bundle: bundle path → bytes and mode. */
export function bundleEntries(course: Course, config: BundleConfig): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const add = (root: string, rel: string, to = rel, mode = 0o644) =>
    entries.push({ name: to, data: fs.readFileSync(path.join(root, rel)), mode });
  // The grader and what it runs on.
  for (const rel of filesUnder(TOOL_ROOT, 'grading', (f) => f.endsWith('.ts') && !f.startsWith('grading/hidden/')))
    add(TOOL_ROOT, rel);
  for (const rel of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.base.json',
    'lib/package.json',
    'lib/tsconfig.json',
    'accel/package.json',
    'accel/tsconfig.json',
  ]) {
    if (fs.existsSync(path.join(TOOL_ROOT, rel))) add(TOOL_ROOT, rel);
  }
  // The build, not the source: `npm ci --ignore-scripts` on Gradescope builds nothing, and the graded tree copies dist/;
  // the declarations are for the type check of submissions.
  const built = (rel: string) => rel.endsWith('.js') || rel.endsWith('.d.ts');
  for (const pkg of ['lib', 'accel']) {
    if (!fs.existsSync(path.join(TOOL_ROOT, pkg, 'dist', 'index.js')))
      throw new Error(
        `${pkg}/dist is not built: run \`npx tsc -b accel lib\` (npm ci does), then build the bundle again`,
      );
    for (const rel of filesUnder(TOOL_ROOT, `${pkg}/dist`, built)) add(TOOL_ROOT, rel);
  }
  add(TOOL_ROOT, 'grading/gradescope/setup.sh', 'setup.sh', 0o755);
  add(TOOL_ROOT, 'grading/gradescope/run_autograder', 'run_autograder', 0o755);
  // The course: stubs, tests, rubric; its own library if it has one. Never solutions/.
  // Only the chosen chapters' stubs and tests (plus the shared test helpers); the course's own library only if it is
  // not this repository's, whose library is already in.
  const ownLib =
    path.resolve(course.root) !== path.resolve(TOOL_ROOT) && course.libSrc.startsWith(course.root + path.sep);
  if (ownLib) {
    add(course.root, 'lib/package.json', `${COURSE_IN_BUNDLE}/lib/package.json`);
    for (const rel of filesUnder(course.root, 'lib/dist', built)) add(course.root, rel, `${COURSE_IN_BUNDLE}/${rel}`);
  }
  const dirs = ['exercises', 'test/exercises', 'grading/hidden'];
  const inChapter = (rel: string) =>
    rel
      .split('/')
      .slice(0, -1)
      .find((part) => CHAPTER_PATTERN.test(part));
  for (const dir of dirs) {
    const keep = (rel: string) => (inChapter(rel) ? config.chapters.includes(inChapter(rel)!) : dir !== 'exercises');
    for (const rel of filesUnder(course.root, dir, keep)) add(course.root, rel, `${COURSE_IN_BUNDLE}/${rel}`);
  }
  add(course.root, 'grading/rubric.json', `${COURSE_IN_BUNDLE}/grading/rubric.json`);
  entries.push({ name: BUNDLE_CONFIG, data: Buffer.from(`${JSON.stringify(config, null, 2)}\n`) });
  if (entries.some((e) => /(^|\/)solutions\//.test(e.name)))
    throw new Error('refusing to bundle: a solutions/ file slipped in');
  return entries;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { ...LIMIT_OPTIONS, out: { type: 'string' }, 'hidden-visibility': { type: 'string' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const course = courseFrom(values);
  const named = chapterList(values);
  const chapters = named.length > 0 ? pickChapters(course, named) : course.chapters;
  const limits: Limits = limitsFrom(values);
  const hiddenVisibility = (values['hidden-visibility'] ?? 'after_due_date') as GradescopeVisibility;
  if (!GRADESCOPE_VISIBILITIES.includes(hiddenVisibility))
    throw new Error(
      `--hidden-visibility must be one of ${GRADESCOPE_VISIBILITIES.join(', ')}, got ${hiddenVisibility}`,
    );
  // Check now, on this machine, that the rubric covers the tests: a bundle that fails on Gradescope costs a rebuild.
  const workRoot = makeWorkRoot();
  try {
    const plan = await makePlan(course, loadRubric(course.rubricFile), chapters, limits, true, workRoot);
    const max = plan.tests.reduce((s, t) => s + t.points, 0);
    const out = path.resolve(values.out ?? path.join(TOOL_ROOT, 'reports', 'gradescope-autograder.zip'));
    const tests = plan.tests.map(({ visibility, chapter, stem, exercise, test }) => ({
      visibility,
      chapter,
      stem,
      exercise,
      test,
    }));
    const entries = bundleEntries(course, { course: COURSE_IN_BUNDLE, chapters, limits, tests, hiddenVisibility });
    writeFileAtomic(out, createZip(entries));
    process.stdout.write(
      `Wrote ${out}: ${entries.length} files, chapters ${chapters.join(', ')}, ${plan.tests.length} tests worth ${formatPoints(max)} points.\n`,
    );
    return 0;
  } finally {
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
