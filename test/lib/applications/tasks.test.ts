import { describe, expect, it } from 'vitest';
import {
  additionExamples,
  exactMatch,
  exactMatchAccuracy,
  extractAnswer,
  normalizeAnswer,
  reversalExamples,
  Rng,
  splitExamples,
  taskLine,
} from '@how-llms-work/lib';

describe('synthetic tasks', () => {
  it('reversal answers are the reversed string', () => {
    const ex = reversalExamples(50, new Rng(1), { length: 5, alphabet: 'xyz' });
    for (const e of ex) {
      const s = e.prompt.slice(4, -1);
      expect(e.prompt).toMatch(/^rev [xyz]{5}:$/);
      expect(e.answer).toBe([...s].reverse().join(''));
    }
  });

  it('addition answers are the zero-padded sum', () => {
    for (const e of additionExamples(200, new Rng(2))) {
      const [a, b] = e.prompt.slice(0, -1).split('+').map(Number);
      expect(e.prompt).toMatch(/^\d\d\+\d\d=$/);
      expect(e.answer).toBe(String(a + b).padStart(3, '0'));
    }
    expect(taskLine({ prompt: '01+02=', answer: '003' })).toBe('01+02=003\n');
  });

  it('the held-out split shares no prompt with the training split', () => {
    const { train, test } = splitExamples(additionExamples(500, new Rng(3)), 0.2);
    const testPrompts = new Set(test.map((e) => e.prompt));
    expect(test).toHaveLength(100);
    expect(train.some((e) => testPrompts.has(e.prompt))).toBe(false);
    expect(train.length).toBeGreaterThan(300);
  });
});

describe('exact match', () => {
  it('normalises case, punctuation, articles and spaces the SQuAD way', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower! ')).toBe('eiffel tower');
    expect(exactMatch('the Eiffel Tower.', 'Eiffel tower')).toBe(1);
    expect(exactMatch('Eiffel', 'Eiffel tower')).toBe(0);
    expect(exactMatch('Paris', ['London', 'paris'])).toBe(1);
  });

  it('without normalisation a leading zero matters', () => {
    expect(exactMatch('81', '081', { normalize: false })).toBe(0);
    expect(exactMatch('081', '081', { normalize: false })).toBe(1);
  });

  it('accuracy cuts each completion at the stop string first', () => {
    expect(extractAnswer('081\n12+3', '\n')).toBe('081');
    expect(exactMatchAccuracy(['081\nxx', '13\n', '7'], ['081', '14', '7'], { normalize: false })).toBeCloseTo(
      2 / 3,
      12,
    );
    expect(() => exactMatchAccuracy(['a'], ['a', 'b'])).toThrow(/got 1 completions and 2 references/);
  });
});
