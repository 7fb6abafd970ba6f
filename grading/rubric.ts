/**
 * The rubric: how many points each exercise is worth, split between its visible and hidden tests.
 *
 *   { "ch02-tokenizers": { "ch02 character tokenizer": { "visible": 6, "hidden": 4 },
 *                          "ch02 bpe merge": { "visible": 10, "weights": { "merges the most frequent pair": 3 } } } }
 *
 * An exercise's points are shared by its tests in proportion to `weights` (default 1 each), which
 * gives partial credit per test. There is no default: an exercise without an entry, an entry
 * without an exercise, or hidden points without hidden tests stop grading with an error that says
 * what to add, so that nothing silently scores 0.
 */
import * as fs from 'node:fs';
import type { TestKey } from './types';

export interface ExerciseRubric {
  visible: number;
  hidden?: number;
  /** Relative weight per test name (visible or hidden); tests not named weigh 1. */
  weights?: Record<string, number>;
}

/** chapter → exercise (its describe name) → points. */
export type Rubric = Record<string, Record<string, ExerciseRubric>>;

/** A test with the points it is worth. */
export interface PointedTest extends TestKey {
  points: number;
}

function isPoints(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** Read and check the shape of a rubric file. */
export function loadRubric(file: string): Rubric {
  if (!fs.existsSync(file))
    throw new Error(
      `No rubric at ${file}: create it with the points of every exercise (see grading/README.md, "Rubric").`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}): fix the syntax.`);
  }
  const problems: string[] = [];
  const rubric: Rubric = {};
  for (const [chapter, exercises] of Object.entries(raw as Record<string, unknown>)) {
    if (chapter.startsWith('$')) continue;
    rubric[chapter] = {};
    for (const [exercise, entry] of Object.entries(exercises as Record<string, unknown>)) {
      const e = entry as Partial<ExerciseRubric>;
      if (!isPoints(e?.visible))
        problems.push(
          `${chapter} / "${exercise}": "visible" must be a number of points ≥ 0, got ${JSON.stringify(e?.visible)}`,
        );
      if (e?.hidden !== undefined && !isPoints(e.hidden))
        problems.push(
          `${chapter} / "${exercise}": "hidden" must be a number of points ≥ 0, got ${JSON.stringify(e.hidden)}`,
        );
      for (const [test, w] of Object.entries(e?.weights ?? {})) {
        if (!isPoints(w) || w === 0)
          problems.push(
            `${chapter} / "${exercise}": weight of "${test}" must be a positive number, got ${JSON.stringify(w)}`,
          );
      }
      rubric[chapter][exercise] = { visible: e.visible ?? 0, hidden: e.hidden ?? 0, weights: e.weights ?? {} };
    }
  }
  if (problems.length > 0)
    throw new Error(`${file} has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  return rubric;
}

/**
 * Give each collected test its points. Throws, listing every problem, when the rubric and the
 * tests disagree.
 */
export function assignPoints(rubric: Rubric, tests: TestKey[], rubricFile = 'grading/rubric.json'): PointedTest[] {
  const problems: string[] = [];
  const groups = new Map<string, TestKey[]>();
  for (const t of tests) {
    if (!t.exercise) {
      problems.push(
        `${t.chapter}: test "${t.test}" (${t.visibility}) is not inside a describe('chNN <exercise>', …): put it in its exercise's describe`,
      );
      continue;
    }
    const key = `${t.chapter}\u0000${t.exercise}\u0000${t.visibility}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const chapters = new Set(tests.map((t) => t.chapter));
  const out: PointedTest[] = [];
  for (const chapter of [...chapters].sort()) {
    const entries = rubric[chapter] ?? {};
    const exercises = new Set(tests.filter((t) => t.chapter === chapter && t.exercise).map((t) => t.exercise));
    for (const exercise of exercises) {
      const entry = entries[exercise];
      if (!entry) {
        problems.push(
          `${chapter}: exercise "${exercise}" has tests but no rubric entry: add "${exercise}": { "visible": <points>, "hidden": <points> } under "${chapter}" in ${rubricFile}`,
        );
        continue;
      }
      for (const visibility of ['visible', 'hidden'] as const) {
        const group = groups.get(`${chapter}\u0000${exercise}\u0000${visibility}`) ?? [];
        const points = visibility === 'visible' ? entry.visible : (entry.hidden ?? 0);
        if (points > 0 && group.length === 0) {
          problems.push(
            `${chapter} / "${exercise}": the rubric gives ${points} ${visibility} points but there are no ${visibility} tests for it: write them or set "${visibility}": 0`,
          );
        }
        if (points === 0 && group.length > 0) {
          problems.push(
            `${chapter} / "${exercise}": there are ${group.length} ${visibility} tests but the rubric gives them 0 points: set "${visibility}" to the points they are worth`,
          );
        }
        const weight = (t: TestKey) => entry.weights?.[t.test] ?? 1;
        const total = group.reduce((sum, t) => sum + weight(t), 0);
        for (const t of group) out.push({ ...t, points: total > 0 ? (points * weight(t)) / total : 0 });
      }
      for (const name of Object.keys(entry.weights ?? {})) {
        if (!tests.some((t) => t.chapter === chapter && t.exercise === exercise && t.test === name)) {
          problems.push(
            `${chapter} / "${exercise}": weights name a test "${name}" that does not exist: fix the name or remove it`,
          );
        }
      }
    }
    for (const exercise of Object.keys(entries)) {
      if (!exercises.has(exercise))
        problems.push(
          `${chapter}: the rubric has "${exercise}" but no test declares describe('${exercise}', …): rename or remove the entry`,
        );
    }
  }
  if (problems.length > 0)
    throw new Error(`The rubric and the tests disagree (${problems.length}):\n  - ${problems.join('\n  - ')}`);
  return out;
}
