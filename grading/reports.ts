/**
 * What the grader writes: a Markdown feedback report and a Gradescope `results.json` per student
 * (hidden tests show pass/fail and points only), an instructor's report with everything, and the
 * class CSV.
 */
import type { SubmissionResult, TestResult } from './score';

/** Points for people: at most two decimals, no trailing zeros (sums of thirds come out as 10, not 9.999…). */
export function formatPoints(x: number): string {
  return String(Math.round(x * 100) / 100);
}
const fmt = formatPoints;

function byExercise(tests: TestResult[]): Map<string, TestResult[]> {
  const groups = new Map<string, TestResult[]>();
  for (const t of tests)
    groups.set(`${t.chapter}\u0000${t.exercise}`, [...(groups.get(`${t.chapter}\u0000${t.exercise}`) ?? []), t]);
  return groups;
}

/** How a hidden test is named to the student: its exercise and its number, nothing of its content. */
function hiddenLabel(t: TestResult, index: number): string {
  return `${t.exercise} › hidden test ${index + 1}`;
}

function hiddenIndexes(tests: TestResult[]): Map<TestResult, number> {
  const out = new Map<TestResult, number>();
  for (const group of byExercise(tests.filter((t) => t.visibility === 'hidden')).values())
    group.forEach((t, i) => out.set(t, i));
  return out;
}

function escapeMd(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The student's feedback, in Markdown. */
export function feedbackMarkdown(r: SubmissionResult, options: { instructor?: boolean } = {}): string {
  const hidden = hiddenIndexes(r.tests);
  const lines = [
    `# ${options.instructor ? 'Instructor report' : 'Feedback'} for ${r.student}`,
    '',
    `**Score: ${fmt(r.score)} / ${fmt(r.maxScore)}**`,
    '',
  ];
  for (const note of r.notes) lines.push(`> ${note}`, '');
  for (const tests of byExercise(r.tests).values()) {
    const earned = tests.reduce((s, t) => s + t.score, 0);
    const max = tests.reduce((s, t) => s + t.points, 0);
    lines.push(
      `## ${tests[0].exercise} (${tests[0].chapter}): ${fmt(earned)} / ${fmt(max)}`,
      '',
      '| | test | points | what happened |',
      '| --- | --- | --- | --- |',
    );
    for (const t of tests) {
      const mark = t.passed ? '✅' : '❌';
      const isHidden = t.visibility === 'hidden';
      const name =
        isHidden && !options.instructor ? hiddenLabel(t, hidden.get(t)!) : `${isHidden ? '(hidden) ' : ''}${t.test}`;
      const said =
        isHidden && !options.instructor
          ? t.passed
            ? 'Passed.'
            : 'Failed (hidden test: details are not shown).'
          : t.message;
      lines.push(`| ${mark} | ${escapeMd(name)} | ${fmt(t.score)} / ${fmt(t.points)} | ${escapeMd(said)} |`);
    }
    lines.push('');
  }
  if (options.instructor)
    for (const note of r.instructorNotes) lines.push('```text', note.replace(/```/g, "'''"), '```', '');
  return `${lines.join('\n')}\n`;
}

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export function gradescopeResults(r: SubmissionResult): object {
  const hidden = hiddenIndexes(r.tests);
  return {
    score: r.score,
    max_score: r.maxScore,
    output: [`Score: ${fmt(r.score)} / ${fmt(r.maxScore)}`, ...r.notes].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: r.tests.map((t) => {
      const isHidden = t.visibility === 'hidden';
      return {
        name: isHidden ? hiddenLabel(t, hidden.get(t)!) : `${t.exercise} › ${t.test}`,
        score: t.score,
        max_score: t.points,
        status: t.passed ? 'passed' : 'failed',
        output: isHidden ? (t.passed ? 'Passed.' : 'Failed (hidden test: details are not shown).') : t.message,
        visibility: 'visible',
      };
    }),
  };
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The class's grades: one row per student, one column per exercise (its maximum in the header), then the total. */
export function gradesCsv(results: SubmissionResult[]): string {
  const columns: { chapter: string; exercise: string; max: number }[] = [];
  for (const r of results) {
    for (const tests of byExercise(r.tests).values()) {
      const t = tests[0];
      if (!columns.some((c) => c.chapter === t.chapter && c.exercise === t.exercise)) {
        columns.push({ chapter: t.chapter, exercise: t.exercise, max: tests.reduce((s, x) => s + x.points, 0) });
      }
    }
  }
  const maxTotal = columns.reduce((s, c) => s + c.max, 0);
  const header = ['student', ...columns.map((c) => `${c.exercise} (${fmt(c.max)})`), `total (${fmt(maxTotal)})`];
  const rows = results.map((r) => {
    const cells = columns.map((c) =>
      fmt(r.tests.filter((t) => t.chapter === c.chapter && t.exercise === c.exercise).reduce((s, t) => s + t.score, 0)),
    );
    return [r.student, ...cells, fmt(r.score)];
  });
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}
