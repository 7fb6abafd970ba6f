/**
 * Synthetic tasks whose answers can be checked exactly, so "did fine-tuning help?" is a number:
 * reverse a short string (`rev abcd:` → `dcba`), add two two-digit numbers (`23+58=` → `081`). Each example is a prompt and its answer;
 * the model sees `prompt + answer + '\n'`, and at test time must produce the answer after the prompt.
 */
import { Rng } from '../core/random';

/** One checkable example: the model continues `prompt` and should write `answer`. */
export interface TaskExample {
  prompt: string;
  answer: string;
}

/** The line a model trains on: prompt, answer, newline (the stop marker). */
export function taskLine(example: TaskExample): string {
  return `${example.prompt}${example.answer}\n`;
}

/** `n` string-reversal examples `rev abc:` → `cba` over a small alphabet (characters Shakespeare's vocabulary has). */
export function reversalExamples(
  n: number,
  rng: Rng,
  options: { length?: number; alphabet?: string } = {},
): TaskExample[] {
  const length = options.length ?? 4;
  const alphabet = options.alphabet ?? 'abcdefgh';
  if (!(Number.isInteger(length) && length >= 1))
    throw new Error(`reversal length must be a positive integer, got ${length}`);
  return Array.from({ length: n }, () => {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[rng.int(alphabet.length)];
    return { prompt: `rev ${s}:`, answer: [...s].reverse().join('') };
  });
}

/** `n` addition examples `23+58=` → `081`: operands 0–99 zero-padded, the sum padded to three digits so every answer has one length. */
export function additionExamples(n: number, rng: Rng): TaskExample[] {
  return Array.from({ length: n }, () => {
    const a = rng.int(100);
    const b = rng.int(100);
    return { prompt: `${pad(a, 2)}+${pad(b, 2)}=`, answer: pad(a + b, 3) };
  });
}

function pad(x: number, width: number): string {
  return String(x).padStart(width, '0');
}

/** Split examples so that no prompt of the test part appears in the training part (held out means unseen). */
export function splitExamples(
  examples: TaskExample[],
  testFraction: number,
): { train: TaskExample[]; test: TaskExample[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`test fraction must be in (0, 1), got ${testFraction}`);
  const nTest = Math.max(1, Math.round(examples.length * testFraction));
  const test = examples.slice(0, nTest);
  const seen = new Set(test.map((e) => e.prompt));
  const train = examples.slice(nTest).filter((e) => !seen.has(e.prompt));
  return { train, test };
}
