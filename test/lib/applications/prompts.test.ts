import { describe, expect, it } from 'vitest';
import { chatPrompt, fewShotPrompt, fillTemplate, serviceBotSystemPrompt, taskPrompt } from '@how-llms-work/lib';

describe('prompt templates', () => {
  it('fills every slot, repeated slots included', () => {
    expect(fillTemplate('{a} and {b}, then {a}', { a: 'x', b: 'y' })).toBe('x and y, then x');
  });

  it('names a missing value and an unused one', () => {
    expect(() => fillTemplate('Q: {question}', {})).toThrow(/slot \{question\} has no value/);
    expect(() => fillTemplate('Q: {question}', { question: 'q', answer: 'a' })).toThrow(/value "answer" fills no slot/);
  });

  it('frames QA, summarisation, translation and code as continuations', () => {
    expect(taskPrompt('qa', { context: 'Paris is in France.', question: 'Where is Paris?' })).toBe(
      'Context: Paris is in France.\nQuestion: Where is Paris?\nAnswer:',
    );
    expect(taskPrompt('summarise', { text: 'Long text.' }).endsWith('TL;DR:')).toBe(true);
    expect(taskPrompt('translate', { source: 'English', target: 'French', text: 'cheese' })).toBe(
      'Translate English to French.\nEnglish: cheese\nFrench:',
    );
    expect(taskPrompt('code', { description: 'add two numbers', signature: 'function add(a, b)' })).toBe(
      '// add two numbers\nfunction add(a, b) {',
    );
  });

  it('few-shot prompts end with the open query', () => {
    const p = fewShotPrompt(
      [
        { input: '2+2', output: '4' },
        { input: '3+5', output: '8' },
      ],
      '7+1',
    );
    expect(p).toBe('Q: 2+2\nA: 4\n\nQ: 3+5\nA: 8\n\nQ: 7+1\nA:');
  });
});

describe('chat template', () => {
  it('wraps each turn and leaves the assistant turn open', () => {
    const p = chatPrompt([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Bye' },
    ]);
    expect(p).toBe(
      '<|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello.<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n',
    );
  });

  it('rejects a system turn later on, repeated roles, and a conversation the assistant already answered', () => {
    expect(() =>
      chatPrompt([
        { role: 'user', content: 'a' },
        { role: 'system', content: 'b' },
      ]),
    ).toThrow(/system turn must come first, found one at turn 1/);
    expect(() =>
      chatPrompt([
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ]),
    ).toThrow(/turn 1 repeats the role "user"/);
    expect(() =>
      chatPrompt([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ]),
    ).toThrow(/ends with a user turn.*got "assistant"/);
  });

  it('a service bot system prompt lists its facts and rules', () => {
    const s = serviceBotSystemPrompt('Acme', ['Open 9–5.'], ['Never promise refunds.']);
    expect(s.split('\n')).toEqual([
      'You are the customer-service assistant of Acme.',
      'Answer only from these facts:',
      '- Open 9–5.',
      'Rules:',
      '- Never promise refunds.',
    ]);
  });
});
