// Hidden tests of exercises/ch12-applications/prompt-template.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { fillPromptTemplate } from '@exercises/ch12-applications/prompt-template';
import { Rng } from '@how-llms-work/lib';

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
  it('on seeded random templates: every slot filled once with its value as is, literal braces kept, nothing filled twice', () => {
    const rng = new Rng(1202);
    for (let trial = 0; trial < 30; trial++) {
      const names = Array.from({ length: 1 + rng.int(4) }, (_, i) => `slot_${i}${rng.int(10)}`);
      const values = Object.fromEntries(
        names.map((n) => [n, rng.int(2) ? `{${names[0]}}` : `v${rng.int(1000)} }} {{`]),
      );
      const parts: string[] = [];
      let want = '';
      for (const n of [...names, ...names.slice(0, rng.int(names.length + 1))]) {
        const text = rng.int(2) ? ' text {{literal}} ' : ' - ';
        parts.push(text, `{${n}}`);
        want += text.replace('{{', '{').replace('}}', '}') + values[n];
      }
      expect(fillPromptTemplate(parts.join(''), values)).toBe(want);
    }
  });
});
