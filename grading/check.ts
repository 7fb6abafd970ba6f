/**
 * `npm run check -- ch02` runs a chapter's visible tests against your own exercises/ folder and
 * prints what passes, what fails and why, and your score on the visible tests. Hidden tests (used
 * when your instructor grades) are neither run nor shown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { courseFrom, LIMIT_OPTIONS, limitsFrom, runMain } from './cli';
import { gradeSources, makePlan, makeWorkRoot, pickChapters } from './grader';
import { formatPoints } from './reports';
import { loadRubric } from './rubric';
import type { SubmissionResult } from './score';

const USAGE = `Usage: npm run check -- <chapter>… [capstone] [--exercises <folder>]

Runs the visible tests of each chapter (e.g. ch02) against your exercises/ folder.
  capstone               train a GPT made of your chapter 5, 6 and 7 pieces on Tiny Shakespeare (also run by a plain
                         \`npm run check\`); it passes when the validation loss falls below the threshold
  --exercises <folder>   check another folder shaped like exercises/ (default: exercises/)`;

const fmt = formatPoints;

/** The learner's view of a result: a line per test, grouped by exercise, then the score. */
export function formatCheck(r: SubmissionResult, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  let exercise = '';
  for (const t of r.tests) {
    if (t.exercise !== exercise) {
      exercise = t.exercise;
      const ts = r.tests.filter((x) => x.exercise === exercise && x.chapter === t.chapter);
      lines.push(
        '',
        `${exercise}  ${fmt(ts.reduce((s, x) => s + x.score, 0))}/${fmt(ts.reduce((s, x) => s + x.points, 0))}`,
      );
    }
    lines.push(t.passed ? `  ${paint(32, '✓')} ${t.test}` : `  ${paint(31, '✗')} ${t.test}\n      ${t.message}`);
  }
  for (const note of r.notes) lines.push('', `Note: ${note}`);
  const all = r.score === r.maxScore;
  lines.push(
    '',
    paint(
      all ? 32 : 33,
      `Score on the visible tests: ${fmt(r.score)} / ${fmt(r.maxScore)}${all ? ' — all passing!' : ''}`,
    ),
  );
  lines.push('(Your instructor may also grade hidden tests of the same exercises.)');
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { ...LIMIT_OPTIONS, exercises: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const course = courseFrom(values);
  const named = positionals.filter((p) => p !== 'capstone');
  const withCapstone = positionals.length === 0 || positionals.includes('capstone');
  const exercisesDir = path.resolve(values.exercises ?? course.exercisesDir);
  if (!fs.existsSync(exercisesDir))
    throw new Error(`${exercisesDir} does not exist: pass --exercises <folder shaped like exercises/>`);
  if (named.length === 0 && positionals.length > 0) return checkCapstone(exercisesDir);
  const chapters = pickChapters(course, named.length > 0 ? named : course.chapters);
  const workRoot = makeWorkRoot();
  try {
    process.stdout.write(`Checking ${chapters.join(', ')} in ${path.relative(process.cwd(), exercisesDir) || '.'}…\n`);
    const plan = await makePlan(course, loadRubric(course.rubricFile), chapters, limitsFrom(values), false, workRoot);
    const sources = Object.fromEntries(chapters.map((c) => [c, path.join(exercisesDir, c)]));
    const result = await gradeSources(plan, 'you', sources);
    process.stdout.write(formatCheck(result, process.stdout.isTTY === true));
  } finally {
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
  return withCapstone ? checkCapstone(exercisesDir) : 0;
}

/** Train the GPT assembled from the learner's pieces and say whether it passed; exit code 0 either way (like the tests). */
async function checkCapstone(exercisesDir: string): Promise<number> {
  // Loaded only here: the capstone brings in the library and TF.js, which checking a chapter does not need.
  const { CAPSTONE, loadPieces, runCapstone } = await import('./capstone');
  process.stdout.write(
    `\nCapstone: training a GPT made of your causalSelfAttention, gptForward, adamwStep and trainStep (${CAPSTONE.steps} steps)…\n`,
  );
  const result = await runCapstone(await loadPieces(exercisesDir), {
    onEval: (p) =>
      process.stdout.write(`  step ${String(p.step).padStart(4)}  validation loss ${p.valLoss.toFixed(3)}\n`),
  });
  const verdict = result.passed
    ? `passed: validation loss ${result.finalValLoss.toFixed(3)} < ${result.threshold}`
    : `not yet: ${result.reason}`;
  process.stdout.write(`Capstone ${verdict} (${(result.elapsedMs / 1000).toFixed(0)} s)\n`);
  return 0;
}

if (require.main === module) runMain(main);
