/**
 * A small instruction set the course generates, every answer checkable by a program:
 *   rev: cat dog      → dog cat      (reverse the words)
 *   count: ox by me   → 3            (count the words)
 *   12+7=             → 19           (small arithmetic)
 *   who: ROMEO: go on → ROMEO        (name the speaker of a script line)
 *   upper: oak sea    → OAK SEA        (a format conversion)
 * Short enough that prompt, reply and the three chat tokens fit a 32-token context.
 */
import { Rng } from '../core/random';
import type { TaskExample } from '../applications/tasks';

/** The kinds of instruction the set mixes. */
export const INSTRUCTION_KINDS = ['reverse', 'count', 'add', 'speaker', 'upper'] as const;
export type InstructionKind = (typeof INSTRUCTION_KINDS)[number];

/** One instruction with its checkable answer. */
export interface InstructionExample extends TaskExample {
  kind: InstructionKind;
}

// Short words and speakers in the base model's (Shakespeare's) alphabet.
const WORDS =
  'cat dog owl sun sea sky red oak ash elm fox hen ram yew ale bow cup day eye fig gem hat ink jar key lip map net oil pen rod sap tea urn war wit arm bee'.split(
    ' ',
  );
const SPEAKERS = ['ROMEO', 'JULIET', 'HAMLET', 'LEAR', 'KING', 'DUKE', 'NURSE', 'FOOL', 'BRUTUS', 'IAGO', 'PUCK'];
const LINE_WORDS = 'go on now come stay well here away'.split(' ');

function pickWords(rng: Rng, n: number, from: readonly string[] = WORDS): string[] {
  return Array.from({ length: n }, () => from[rng.int(from.length)]);
}

/** One example of `kind`, drawn from `rng`. */
export function instructionExample(kind: InstructionKind, rng: Rng): InstructionExample {
  switch (kind) {
    case 'reverse': {
      const words = pickWords(rng, 2 + rng.int(2));
      return { kind, prompt: `rev: ${words.join(' ')}`, answer: [...words].reverse().join(' ') };
    }
    case 'count': {
      const words = pickWords(rng, 1 + rng.int(4), LINE_WORDS);
      return { kind, prompt: `count: ${words.join(' ')}`, answer: String(words.length) };
    }
    case 'add': {
      const a = rng.int(50);
      const b = rng.int(50);
      return { kind, prompt: `${a}+${b}=`, answer: String(a + b) };
    }
    case 'speaker': {
      const who = SPEAKERS[rng.int(SPEAKERS.length)];
      const line = pickWords(rng, 1 + rng.int(2), LINE_WORDS).join(' ');
      return { kind, prompt: `who: ${who}: ${line}`, answer: who };
    }
    case 'upper': {
      const words = pickWords(rng, 1 + rng.int(2)).join(' ');
      return { kind, prompt: `upper: ${words}`, answer: words.toUpperCase() };
    }
    default:
      throw new Error(`unknown instruction kind ${JSON.stringify(kind)}; use one of ${INSTRUCTION_KINDS.join(', ')}`);
  }
}

/**
 * `n` distinct instructions (kinds in turn), deterministic for a seed; no prompt repeats, so a prompt-level
 * train/test split (applications' splitExamples) holds out instructions the model never saw.
 */
export function instructionExamples(
  n: number,
  seed: number,
  kinds: readonly InstructionKind[] = INSTRUCTION_KINDS,
): InstructionExample[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`number of instructions must be a positive integer, got ${n}`);
  if (kinds.length === 0) throw new Error('pick at least one instruction kind');
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const out: InstructionExample[] = [];
  for (let tries = 0; out.length < n; tries++) {
    if (tries > 50 * n)
      throw new Error(
        `only ${out.length} distinct instructions of kinds ${kinds.join(', ')} exist; ask for fewer than ${n}`,
      );
    // Kinds take turns; a kind that has run out of new prompts just loses its turn.
    const e = instructionExample(kinds[tries % kinds.length], rng);
    if (seen.has(e.prompt)) continue;
    seen.add(e.prompt);
    out.push(e);
  }
  return out;
}

/** A wrong but plausible reply to an instruction (for preference pairs): off by one, words unreversed, lower case, … */
export function corruptAnswer(example: InstructionExample, rng: Rng): string {
  const { kind, answer, prompt } = example;
  switch (kind) {
    case 'reverse': {
      const original = prompt.slice('rev: '.length);
      return original !== answer ? original : `${answer} ${answer.split(' ')[0]}`;
    }
    case 'count':
    case 'add':
      return String(Math.max(0, Number(answer) + (rng.int(2) ? 1 : -1) * (1 + rng.int(2))));
    case 'speaker':
      return SPEAKERS.filter((s) => s !== answer)[rng.int(SPEAKERS.length - 1)];
    case 'upper':
      return answer.toLowerCase();
    default:
      throw new Error(`unknown instruction kind ${JSON.stringify(kind)}`);
  }
}

/**
 * Demonstrations from annotators of mixed habits: a copy of examples in which a share of the answers (drawn from
 * the seed) start with the habit's prefix, e.g. "Ok, 19" for "19". The content stays right; only the style varies,
 * so SFT learns the habit about as often as the data shows it, and only a comparison says it is unwanted.
 */
export function withHabit<E extends TaskExample>(examples: E[], habit: string, share: number, seed: number): E[] {
  if (habit.length === 0) throw new Error('a habit must be a non-empty prefix, such as "Ok, "');
  if (!(share >= 0 && share <= 1))
    throw new Error(`the share of answers with the habit must be in [0, 1], got ${share}`);
  const rng = new Rng(seed);
  return examples.map((e) => (rng.next() < share ? { ...e, answer: habit + e.answer } : { ...e }));
}
