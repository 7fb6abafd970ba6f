// Chapter 12 hidden tests: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { fillPromptTemplate } from '@exercises/ch12-applications/prompt-template';
import { exactMatchScore } from '@exercises/ch12-applications/exact-match';
import { taskAccuracy } from '@exercises/ch12-applications/task-accuracy';

describe('ch12 fillPromptTemplate', () => {
  it('inserts values literally, even ones that look like replacement patterns', () => {
    expect(fillPromptTemplate('[{a}]', { a: '$&$1$$' })).toBe('[$&$1$$]');
    expect(fillPromptTemplate('', {})).toBe('');
  });
  it('reads {{x}} as the literal text {x}, not as a slot', () => {
    expect(fillPromptTemplate('{{x}} = {x}', { x: '3' })).toBe('{x} = 3');
    expect(() => fillPromptTemplate('{{x}}', { x: '3' })).toThrow(/x/);
  });
  it('names the missing slot among several', () => {
    expect(() => fillPromptTemplate('{first} {second_2}', { first: 'a' })).toThrow(/second_2/);
    expect(() => fillPromptTemplate('{first} {second_2}', { first: 'a' })).not.toThrow(/TODO/);
  });
});

describe('ch12 exactMatchScore', () => {
  it('drops upper-case articles and Unicode punctuation', () => {
    expect(exactMatchScore('THE «Beatles»', ['beatles'])).toBe(1);
    expect(exactMatchScore('An  apple—pie', ['apple pie'])).toBe(1);
  });
  it('keeps articles inside words and needs the words in order', () => {
    expect(exactMatchScore('banana', ['bnn'])).toBe(0);
    expect(exactMatchScore('tower eiffel', ['eiffel tower'])).toBe(0);
    expect(exactMatchScore('the', ['a'])).toBe(1); // both normalise to the empty string
  });
  it('throws without references', () => {
    expect(exactMatchScore('x', ['y', 'X'])).toBe(1);
    expect(() => exactMatchScore('x', [])).toThrow();
    expect(() => exactMatchScore('x', [])).not.toThrow(/TODO/);
  });
});

describe('ch12 taskAccuracy', () => {
  it('cuts at the first stop only, and scores all-correct as 1', () => {
    expect(taskAccuracy(['12\n34\n', '\n5'], ['12', ''])).toEqual({ correct: 2, total: 2, accuracy: 1 });
  });
  it('cuts at a multi-character stop, not at its prefix', () => {
    expect(taskAccuracy(['a#b##c', 'x##'], ['a#b', 'x'], '##')).toEqual({ correct: 2, total: 2, accuracy: 1 });
  });
  it('rejects zero examples', () => {
    expect(taskAccuracy(['no'], ['yes'])).toEqual({ correct: 0, total: 1, accuracy: 0 });
    expect(() => taskAccuracy([], [])).toThrow();
    expect(() => taskAccuracy([], [])).not.toThrow(/TODO/);
  });
});
