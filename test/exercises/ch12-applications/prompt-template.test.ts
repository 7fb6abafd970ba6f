// Tests of exercises/ch12-applications/prompt-template.ts. Each describe is one exercise; each it is partial credit.
import { describe, expect, it } from 'vitest';
import { fillPromptTemplate } from '@exercises/ch12-applications/prompt-template';

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
