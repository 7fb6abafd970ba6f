// Chapter 12 exercises: a prompt template builder, an exact-match evaluator, a task-accuracy metric.
// Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { fillPromptTemplate } from '@exercises/ch12-applications/prompt-template';
import { exactMatchScore } from '@exercises/ch12-applications/exact-match';
import { taskAccuracy } from '@exercises/ch12-applications/task-accuracy';

describe('ch12 fillPromptTemplate', () => {
  it('fills slots, including a slot used twice', () => {
    expect(fillPromptTemplate('Q: {question}\nA:', { question: 'Why?' })).toBe('Q: Why?\nA:');
    expect(fillPromptTemplate('{w} and {w} and {v_2}', { w: 'x', v_2: 'y' })).toBe('x and x and y');
  });

  it('turns {{ and }} into literal braces', () => {
    expect(fillPromptTemplate('{{ {x} }}', { x: '1' })).toBe('{ 1 }');
    expect(fillPromptTemplate('function f() {{ return {body}; }}', { body: '42' })).toBe('function f() { return 42; }');
  });

  it('does not fill a slot that arrives inside a value', () => {
    expect(fillPromptTemplate('Say: {text}', { text: '{text}' })).toBe('Say: {text}');
  });

  it('names a missing slot and an unused value', () => {
    expect(() => fillPromptTemplate('Context: {context}', {})).toThrow(/context/);
    expect(() => fillPromptTemplate('Hi {name}', { name: 'Ada', mood: 'glad' })).toThrow(/mood/);
  });
});

describe('ch12 exactMatchScore', () => {
  it('matches after lower-casing and dropping punctuation', () => {
    expect(exactMatchScore('The Eiffel-Tower!', ['eiffel tower'])).toBe(1);
    expect(exactMatchScore('PARIS.', ['paris'])).toBe(1);
  });

  it('drops whole-word articles only, and collapses whitespace', () => {
    expect(exactMatchScore('  an   apple ', ['Apple'])).toBe(1);
    expect(exactMatchScore('theatre', ['atre'])).toBe(0);
    expect(exactMatchScore('Anne', ['ne'])).toBe(0);
  });

  it('needs the whole answer, against any of several references', () => {
    expect(exactMatchScore('Eiffel', ['Eiffel Tower'])).toBe(0);
    expect(exactMatchScore('1889', ['in 1889', '1889'])).toBe(1);
    expect(exactMatchScore('1888', ['in 1889', '1889'])).toBe(0);
  });

  it('treats symbols as punctuation too', () => {
    expect(exactMatchScore('$5 + tax', ['5 tax'])).toBe(1);
  });
});

describe('ch12 taskAccuracy', () => {
  it('counts exact answers before the newline', () => {
    expect(taskAccuracy(['cba\nrev', 'ab', '081\n'], ['cba', 'ba', '81'])).toEqual({ correct: 1, total: 3, accuracy: 1 / 3 });
  });

  it('uses the whole completion when there is no stop, and does not normalise', () => {
    expect(taskAccuracy(['081', '81', ' 081'], ['081', '081', '081'])).toEqual({ correct: 1, total: 3, accuracy: 1 / 3 });
  });

  it('honours a custom stop string', () => {
    expect(taskAccuracy(['42<|end|>more', '7<|end|>'], ['42', '8'], '<|end|>')).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
  });

  it('rejects mismatched lengths, naming both', () => {
    expect(() => taskAccuracy(['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'])).toThrow(/(5\D[\s\S]*9)|(9\D[\s\S]*5)/);
  });
});
