/**
 * What the grader writes: a Markdown feedback report and a Gradescope `results.json` per student
 * (hidden tests show pass/fail and points only), an instructor's report with everything, and the
 * class CSV.
 */
import { type SubmissionResult, TAMPERED, type TestResult } from './score';

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

/** When Gradescope shows a hidden test's line to the student: `after_due_date` (default), `after_published`, `hidden`, `visible`. */
export type GradescopeVisibility = 'after_due_date' | 'after_published' | 'hidden' | 'visible';
export const GRADESCOPE_VISIBILITIES: GradescopeVisibility[] = [
  'after_due_date',
  'after_published',
  'hidden',
  'visible',
];

/** Points as Gradescope should show them: two decimals at most (a third of 10 shows as 3.33, not 3.3333333333333335). */
const roundPoints = (x: number) => Math.round(x * 100) / 100;

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export function gradescopeResults(
  r: SubmissionResult,
  options: { hiddenVisibility?: GradescopeVisibility } = {},
): object {
  const hidden = hiddenIndexes(r.tests);
  return {
    score: roundPoints(r.score),
    max_score: roundPoints(r.maxScore),
    output: [`Score: ${fmt(r.score)} / ${fmt(r.maxScore)}`, ...r.notes].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: r.tests.map((t) => {
      const isHidden = t.visibility === 'hidden';
      return {
        name: isHidden ? hiddenLabel(t, hidden.get(t)!) : `${t.exercise} › ${t.test}`,
        score: roundPoints(t.score),
        max_score: roundPoints(t.points),
        status: t.passed ? 'passed' : 'failed',
        output: isHidden ? (t.passed ? 'Passed.' : 'Failed (hidden test: details are not shown).') : t.message,
        visibility: isHidden ? (options.hiddenVisibility ?? 'after_due_date') : 'visible',
      };
    }),
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Parse CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f !== ''));
}

/** The class's grades as a table: one row per student, cells by column label. */
export interface GradeTable {
  /** Exercise columns, labelled `<exercise> (<max>)`, in order. */
  columns: string[];
  rows: Map<string, { id: string; cells: Map<string, string>; note?: string }>;
}

/** The last column of grades.csv: what the instructor must know about a row (a chapter zeroed for tampering). */
const NOTES = 'notes';

/** The CSV's note for a result: each chapter zeroed for tampering, with its first piece of evidence. */
export function gradeNote(r: SubmissionResult): string {
  const chapters = [...new Set(r.tampered.map((t) => t.chapter))];
  return chapters
    .map((c) => `${c}: ${TAMPERED} (${r.tampered.find((t) => t.chapter === c)!.evidence.slice(0, 200)})`)
    .join('; ');
}

const TOTAL = /^total \((.*)\)$/;

/** Read a grades.csv written by the grader (student, id, one column per exercise, total). */
export function readGradeTable(text: string): GradeTable {
  const [header, ...body] = parseCsv(text);
  const table: GradeTable = { columns: [], rows: new Map() };
  if (!header) return table;
  if (header[0] !== 'student')
    throw new Error(
      `grades.csv does not start with a "student" column (it has "${header[0]}"): move it away or fix its header, and grade again`,
    );
  const hasId = header[1] === 'id';
  const first = hasId ? 2 : 1;
  const hasNotes = header[header.length - 1] === NOTES;
  const end = hasNotes ? header.length - 1 : header.length;
  const last = TOTAL.test(header[end - 1] ?? '') ? end - 1 : end;
  table.columns = header.slice(first, last);
  for (const fields of body) {
    const cells = new Map<string, string>();
    table.columns.forEach((c, i) => {
      if ((fields[first + i] ?? '') !== '') cells.set(c, fields[first + i]);
    });
    const note = hasNotes ? (fields[header.length - 1] ?? '') : '';
    table.rows.set(fields[0], { id: hasId ? (fields[1] ?? '') : '', cells, note });
  }
  return table;
}

/**
 * Merge results into a grade table: a graded student's cells for the exercises just graded replace
 * theirs, every other row and cell is kept. `ids` gives students' ids (from a roster or Gradescope).
 */
export function mergeGrades(
  table: GradeTable,
  results: SubmissionResult[],
  ids: Record<string, string> = {},
): GradeTable {
  const columns = [...table.columns];
  const rows = new Map([...table.rows].map(([k, v]) => [k, { id: v.id, cells: new Map(v.cells), note: v.note }]));
  for (const r of results) {
    const row = rows.get(r.student) ?? { id: '', cells: new Map<string, string>(), note: '' };
    row.id = ids[r.student] ?? row.id;
    row.note = gradeNote(r);
    for (const tests of byExercise(r.tests).values()) {
      const label = `${tests[0].exercise} (${fmt(tests.reduce((s, x) => s + x.points, 0))})`;
      // A re-weighted exercise gets a new column; the old one (other maximum) is dropped for this student only.
      const base = tests[0].exercise;
      for (const c of columns) if (c !== label && c.startsWith(`${base} (`)) row.cells.delete(c);
      if (!columns.includes(label)) columns.push(label);
      row.cells.set(label, fmt(tests.reduce((s, t) => s + t.score, 0)));
    }
    rows.set(r.student, row);
  }
  const used = columns.filter((c) => [...rows.values()].some((row) => row.cells.has(c)));
  return { columns: used, rows };
}

/** The table as CSV: student, id, one column per exercise (its maximum in the header), the total, then notes. */
export function gradeTableCsv(table: GradeTable): string {
  const max = (label: string) => Number(label.match(/\(([^()]*)\)$/)?.[1] ?? 0);
  const maxTotal = table.columns.reduce((s, c) => s + max(c), 0);
  const header = ['student', 'id', ...table.columns, `total (${fmt(maxTotal)})`, NOTES];
  const students = [...table.rows.keys()].sort((a, b) => a.localeCompare(b));
  const lines = students.map((student) => {
    const row = table.rows.get(student)!;
    const cells = table.columns.map((c) => row.cells.get(c) ?? '');
    const total = cells.reduce((s, c) => s + (c === '' ? 0 : Number(c)), 0);
    return [student, row.id, ...cells, fmt(total), row.note ?? ''];
  });
  return `${[header, ...lines].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

/** The class's grades for these results alone (see mergeGrades to keep earlier rows). */
export function gradesCsv(results: SubmissionResult[], ids: Record<string, string> = {}): string {
  return gradeTableCsv(mergeGrades({ columns: [], rows: new Map() }, results, ids));
}
