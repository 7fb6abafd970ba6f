/**
 * Every application of a language model is next-token prediction after the right prefix.
 * A prompt template turns a task (answer this question, summarise this text, translate, write
 * code) into that prefix; a chat template turns a conversation into one, turn by turn.
 */

/** Fill `{name}` slots of a template; every slot needs a value and every value a slot. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const slots = new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const missing = [...slots].filter((s) => !(s in values));
  if (missing.length)
    throw new Error(`template slot {${missing[0]}} has no value; pass ${missing.map((m) => `${m}: '…'`).join(', ')}`);
  const unused = Object.keys(values).filter((k) => !slots.has(k));
  if (unused.length)
    throw new Error(`value "${unused[0]}" fills no slot of the template; add {${unused[0]}} to it or drop the value`);
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name]);
}

/** Templates for the four tasks the chapter frames as continuation. */
export const TASK_TEMPLATES = {
  qa: 'Context: {context}\nQuestion: {question}\nAnswer:',
  summarise: '{text}\n\nTL;DR:',
  translate: 'Translate {source} to {target}.\n{source}: {text}\n{target}:',
  code: '// {description}\n{signature} {',
} as const;

/** The name of a built-in task template. */
export type TaskName = keyof typeof TASK_TEMPLATES;

/** A built-in task prompt: `taskPrompt('qa', { context, question })`. */
export function taskPrompt(task: TaskName, values: Record<string, string>): string {
  const template = TASK_TEMPLATES[task];
  if (!template) throw new Error(`unknown task "${task}"; use one of ${Object.keys(TASK_TEMPLATES).join(', ')}`);
  return fillTemplate(template, values);
}

/** A worked example for few-shot prompting. */
export interface Shot {
  input: string;
  output: string;
}

/** k worked examples, then the query with its answer left for the model: in-context learning (Brown et al. 2020). */
export function fewShotPrompt(
  shots: Shot[],
  query: string,
  options: { inputLabel?: string; outputLabel?: string; separator?: string } = {},
): string {
  const input = options.inputLabel ?? 'Q';
  const output = options.outputLabel ?? 'A';
  const sep = options.separator ?? '\n\n';
  const blocks = shots.map((s) => `${input}: ${s.input}\n${output}: ${s.output}`);
  return [...blocks, `${input}: ${query}\n${output}:`].join(sep);
}

/** Who speaks in a turn. */
export type Role = 'system' | 'user' | 'assistant';

/** One turn of a conversation. */
export interface Turn {
  role: Role;
  content: string;
}

/** Markers around each turn, like the special tokens of ChatML-style templates. */
export interface ChatFormat {
  start: (role: Role) => string;
  end: string;
}

/** `<|role|>\n…<|end|>\n`: the shape of ChatML and its descendants, in plain characters. */
export const SIMPLE_CHAT_FORMAT: ChatFormat = { start: (role) => `<|${role}|>\n`, end: '<|end|>\n' };

/** A conversation as one prompt, ending with an open assistant turn for the model to continue. */
export function chatPrompt(turns: Turn[], format: ChatFormat = SIMPLE_CHAT_FORMAT): string {
  turns.forEach((t, i) => {
    if (t.role === 'system' && i !== 0)
      throw new Error(`a system turn must come first, found one at turn ${i}; merge it into turn 0`);
    if (i > 0 && t.role === turns[i - 1].role)
      throw new Error(`turn ${i} repeats the role "${t.role}"; user and assistant turns alternate`);
  });
  const last = turns[turns.length - 1];
  if (!last || last.role !== 'user')
    throw new Error(
      `a chat prompt ends with a user turn for the assistant to answer, got ${last ? `"${last.role}"` : 'no turns'}`,
    );
  return turns.map((t) => format.start(t.role) + t.content + format.end).join('') + format.start('assistant');
}

/** A customer-service bot: a system turn that fixes the persona, the facts it may use and what it must not do. */
export function serviceBotSystemPrompt(company: string, facts: string[], rules: string[]): string {
  return [
    `You are the customer-service assistant of ${company}.`,
    'Answer only from these facts:',
    ...facts.map((f) => `- ${f}`),
    'Rules:',
    ...rules.map((r) => `- ${r}`),
  ].join('\n');
}
