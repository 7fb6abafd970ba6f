// Assertion errors become sentences a learner can act on.
import { describe, expect, it } from 'vitest';
import { explainError } from '../../grading/explain';

describe('grading explanations', () => {
  it('says what was expected and what the code gave', () => {
    expect(explainError({ name: 'AssertionError', message: 'expected 3 to be 4 // Object.is equality' })).toBe(
      'Expected 4, but your code gave 3.',
    );
    expect(explainError({ name: 'AssertionError', message: 'expected [ 1, 2 ] to deeply equal [ 1, 3 ]' })).toBe(
      'Expected [ 1, 3 ], but your code gave [ 1, 2 ].',
    );
    expect(
      explainError({
        name: 'AssertionError',
        message: 'expected 0.5 to be close to 0.25, received difference is 0.25, but expected 0.005',
      }),
    ).toBe('Expected about 0.25, but your code gave 0.5 (off by 0.25; allowed 0.005).');
  });

  it('recognises an untouched stub, a timeout and a compile error', () => {
    expect(explainError({ name: 'Error', message: 'TODO: return the sum of a and b' })).toBe(
      "Not written yet: the function still throws the stub's TODO (return the sum of a and b).",
    );
    expect(explainError({ name: 'Error', message: 'Test timed out in 5000ms.' })).toMatch(/^Took longer than 5 s/);
    const parse =
      '\x1b[31m[PARSE_ERROR] \x1b[0mUnexpected token\n ╭─[ /tmp/x/sandbox/exercises/ch01-fixture/add.ts:2:14 ]';
    expect(explainError({ name: 'Error', message: `Transform failed with 1 error: ${parse}` })).toBe(
      'Your code does not compile: Unexpected token at exercises/ch01-fixture/add.ts:2:14.',
    );
  });

  it('recognises a stub whose TODO a test caught, not only one that reached the runner', () => {
    const todo =
      'TODO: implement stableSoftmax (see the chapter 05 notebook, section Softmax, and why it must be stable)';
    const expected =
      "Not written yet: stableSoftmax still throws the stub's TODO (see the chapter 05 notebook, section Softmax, and why it must be stable).";
    expect(
      explainError({
        name: 'AssertionError',
        message: `expected [Function] to throw error matching /rows/ but got '${todo}'`,
      }),
    ).toBe(expected);
    expect(
      explainError({
        name: 'AssertionError',
        message: 'promise rejected instead of resolving',
        actual: `Error: ${todo}`,
      }),
    ).toBe(expected);
    expect(explainError({ name: 'Error', message: todo })).toBe(expected);
  });

  it('passes other messages through, shortened', () => {
    expect(explainError({ name: 'RangeError', message: 'x'.repeat(1000) })).toMatch(/^RangeError: x{400}…$/);
  });
});
