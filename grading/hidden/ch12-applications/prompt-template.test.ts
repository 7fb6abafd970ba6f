// Hidden tests of exercises/ch12-applications/prompt-template.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { fillPromptTemplate } from '@exercises/ch12-applications/prompt-template';

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
