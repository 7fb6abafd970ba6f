/**
 * Decide every test's score from the grader's own knowledge: the collected list of tests (from the
 * course's stubs, never from the submission), the rubric's points, the records of the runs and the
 * watchdog. A test earns its points only if a record says it passed and nothing voided it.
 */
import { explainError } from './explain';
import type { PointedTest } from './rubric';
import { type RunOutcome, type Tampering, testId } from './run';
import type { RunKind } from './sandbox';
import type { RunRecord, TestKey } from './types';

/** A run's outcome and which tests it ran: what the hidden run reports reaches the student only as pass/fail. */
export type ScoredRun = RunOutcome & { kind?: RunKind };

export interface TestResult extends PointedTest {
  passed: boolean;
  score: number;
  /** Plain words for the learner (never shown for hidden tests). */
  message: string;
}

export interface SubmissionResult {
  student: string;
  tests: TestResult[];
  score: number;
  maxScore: number;
  /** Notes for everyone: tampering undone, run problems (the hidden run's without any text it could choose). */
  notes: string[];
  /** Run problems and output tails, for the instructor only. */
  instructorNotes: string[];
  /** Chapters scored 0 because the submission forged its report or changed the test machinery, with the evidence. */
  tampered: Tampering[];
}

/** The words the instructor's report and the CSV use for a chapter zeroed for tampering. */
export const TAMPERED = 'tampered with the test machinery';

function moduleErrorText(records: RunRecord[], t: TestKey): string | undefined {
  const errs = records.filter(
    (r): r is Extract<RunRecord, { type: 'moduleError' }> =>
      r.type === 'moduleError' && r.chapter === t.chapter && r.stem === t.stem && r.visibility === t.visibility,
  );
  const first = errs[0]?.errors[0];
  return first ? explainError(first) : undefined;
}

/** A changed built-in's name on one line and short: a property the submission added is named as it chose. */
const shortName = (s: string) => {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
};
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const sentence = (s: string) => (/[.!?)]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/**
 * A hidden run's problem as the student may read it: the grader's words without the test's name
 * (`during "<exercise> > <test>"`); the instructor's report keeps the whole text.
 */
function hiddenProblem(problem: string): string {
  return `In the hidden tests' run: ${problem.replace(/\s*\(during "[\s\S]*"\)/, ' (during a hidden test)')}`;
}

/** Score one submission's tests from its runs' outcomes. */
export function scoreSubmission(student: string, tests: PointedTest[], outcomes: ScoredRun[]): SubmissionResult {
  const records = outcomes.flatMap((o) => o.records);
  const results = new Map<string, Extract<RunRecord, { type: 'result' }>>();
  for (const r of records)
    if (r.type === 'result' && r.state !== 'skipped' && !results.has(testId(r))) results.set(testId(r), r);
  const stopped = new Map(outcomes.flatMap((o) => o.stopped).map((s) => [testId(s), s.reason]));
  // A test that did not run is explained by its own run's problems (a visible test never by the hidden run's).
  const problemsOf = (t: TestKey) =>
    outcomes.filter((o) => o.kind === undefined || o.kind === t.visibility).flatMap((o) => o.problems);
  const forged = outcomes.flatMap((o) => o.tampered);
  const zeroed = new Set(forged.map((t) => t.chapter));
  const tampered = new Set<string>();
  // Names the submission chose (a property it added) can carry what it read in the hidden run: there, counted only.
  const hiddenTampered = new Set<string>();
  const scored: TestResult[] = tests.map((t) => {
    const r = results.get(testId(t));
    for (const what of r?.tampered ?? []) (t.visibility === 'hidden' ? hiddenTampered : tampered).add(what);
    let message: string;
    let passed = false;
    if (stopped.has(testId(t))) message = sentence(capitalise(stopped.get(testId(t))!));
    else if (!r)
      message = sentence(
        `Did not run: ${moduleErrorText(records, t) ?? problemsOf(t)[0] ?? 'the test file stopped before reaching this test'}`,
      );
    else if (r.state === 'passed') {
      passed = true;
      message = 'Passed.';
    } else message = r.errors.length > 0 ? r.errors.map(explainError).join(' ') : 'Failed.';
    if (zeroed.has(t.chapter)) {
      passed = false;
      message = `Scored 0: the grader found that this submission ${TAMPERED} in ${t.chapter}.`;
    }
    return { ...t, passed, score: passed ? t.points : 0, message };
  });
  const notes: string[] = [];
  if (tampered.size > 0) {
    notes.push(
      `Your code changed ${[...tampered].slice(0, 8).map(shortName).join(', ')} when it was loaded; the grader put them back before each test. Leave built-in objects and the test framework alone.`,
    );
  }
  if (hiddenTampered.size > 0 && tampered.size === 0) {
    notes.push(
      `Your code changed built-in objects or the test framework when it was loaded for the hidden tests; the grader put them back before each test. Leave built-in objects and the test framework alone.`,
    );
  }
  for (const chapter of zeroed) {
    notes.push(
      `${chapter} scores 0: the grader found that your code ${TAMPERED} (it changed how tests check or report their results). Your instructor has the details.`,
    );
  }
  const hidden = (o: ScoredRun) => o.kind === 'hidden';
  notes.push(...outcomes.flatMap((o) => o.problems.map((p) => sentence(capitalise(hidden(o) ? hiddenProblem(p) : p)))));
  const instructorNotes = [
    ...[...zeroed].map(
      (chapter) =>
        `${chapter}: ${TAMPERED}; scored 0. Evidence:\n${forged
          .filter((t) => t.chapter === chapter)
          .slice(0, 10)
          .map((t) => `- ${t.evidence}`)
          .join('\n')}`,
    ),
    ...(hiddenTampered.size > 0
      ? [`hidden run: the code changed ${[...hiddenTampered].slice(0, 8).join(', ')} when it was loaded`]
      : []),
    ...outcomes.flatMap((o) => (hidden(o) ? o.problems.map((p) => `hidden run: ${p}`) : [])),
    ...outcomes.map(
      (o, i) =>
        `run ${i + 1}${o.kind ? ` (${o.kind})` : ''}: ${o.attempts} attempt(s); output tail:\n${o.outputTail.slice(-4000)}`,
    ),
  ];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    student,
    tests: scored.map((t) => ({ ...t, points: round(t.points), score: round(t.score) })),
    score: round(scored.reduce((s, t) => s + t.score, 0)),
    maxScore: round(scored.reduce((s, t) => s + t.points, 0)),
    notes,
    instructorNotes,
    tampered: forged,
  };
}
