/**
 * Turn an assertion error into a sentence a learner can act on:
 * `expected 3 to be 4 // Object.is equality` becomes "Expected 4, but your code gave 3."
 */
import type { ErrorRecord } from './types';

const MAX_SHOWN = 400;

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_SHOWN ? `${one.slice(0, MAX_SHOWN)}…` : one;
}

const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
  [
    /^TODO\b[:\s]*(.*)$/s,
    (m) => `Not written yet: the function still throws the stub's TODO${m[1] ? ` (${short(m[1])})` : ''}.`,
  ],
  [
    /^Test timed out in (\d+)ms/,
    (m) =>
      `Took longer than ${Number(m[1]) / 1000} s and was stopped: look for a loop that never ends or a promise that never resolves.`,
  ],
  [
    /^expected (.+) to be close to (.+?), received difference is (.+?), but expected (.+)$/s,
    (m) => `Expected about ${short(m[2])}, but your code gave ${short(m[1])} (off by ${m[3]}; allowed ${m[4]}).`,
  ],
  [
    /^expected (.+) to (?:be|equal|deeply equal|strictly equal) (.+?)(?: \/\/ Object\.is equality)?$/s,
    (m) => `Expected ${short(m[2])}, but your code gave ${short(m[1])}.`,
  ],
  [/^expected (.+) to have a length of (\d+) but got (\d+)$/s, (m) => `Expected a length of ${m[2]}, but got ${m[3]}.`],
  [
    /^expected \[Function.*?\] to throw error including '(.+)' but got '(.+)'$/s,
    (m) => `Expected an error mentioning "${short(m[1])}", but the error said "${short(m[2])}".`,
  ],
  [
    /^expected \[Function.*?\] to throw an error$/s,
    () => 'Expected an error to be thrown, but the call returned normally.',
  ],
  [/^expected (.+) to be (?:truthy|true)$/s, (m) => `Expected a true value, but got ${short(m[1])}.`],
  [/^expected (.+) to be (?:falsy|false)$/s, (m) => `Expected a false value, but got ${short(m[1])}.`],
  [/^expected (.+) to be less than (.+)$/s, (m) => `Expected a value below ${short(m[2])}, but got ${short(m[1])}.`],
  [/^expected (.+) to be greater than (.+)$/s, (m) => `Expected a value above ${short(m[2])}, but got ${short(m[1])}.`],
];

/** Terminal colours and the sandbox's folder name mean nothing in a report. */
function clean(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '').replace(/(?:[^\s'"]*\/)?sandbox\//g, '');
}

/** A compile error from vite's transform: the first message and where it is. */
function compileError(message: string): string | undefined {
  if (!/Transform failed|PARSE_ERROR|SyntaxError/.test(message)) return undefined;
  const what =
    message.match(/\[PARSE_ERROR\]\s*(?:Error:\s*)?([^\n╭]+)/)?.[1]?.trim() ??
    message.match(/SyntaxError:?\s*([^\n]+)/)?.[1]?.trim() ??
    'syntax error';
  const where = message.match(/(exercises\/[^\s\]]+:\d+:\d+)/)?.[1];
  return `Your code does not compile: ${what}${where ? ` at ${where}` : ''}.`;
}

/** One sentence for one error; unknown messages are shown as they are, shortened. */
export function explainError(error: ErrorRecord): string {
  const message = clean(error.message).trim();
  const compile = compileError(message);
  if (compile) return compile;
  // A stub's TODO caught by the test (inside toThrow, a wrapper or a rejected promise) is still an unwritten function.
  const todo = `${message}\n${error.actual ?? ''}`.match(/TODO: implement (\w+)(?: \((see [^)]*)\))?/);
  if (todo) return `Not written yet: ${todo[1]} still throws the stub's TODO${todo[2] ? ` (${todo[2]})` : ''}.`;
  for (const [pattern, say] of rules) {
    const m = message.match(pattern);
    if (m) return say(m);
  }
  const kind = error.name && error.name !== 'Error' && error.name !== 'AssertionError' ? `${error.name}: ` : '';
  if (error.name === 'AssertionError' && error.expected !== undefined && error.actual !== undefined) {
    return `${short(message)} (expected ${short(error.expected)}, got ${short(error.actual)})`;
  }
  return `${kind}${short(message)}`;
}
