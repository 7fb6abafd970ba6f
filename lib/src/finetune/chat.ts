/**
 * A chat template for a character-level model: special tokens mark whose turn it is, and each is ONE id,
 * so the model cannot confuse "the user typed <|end|>" with the end of a turn spelled out in characters.
 *   <|user|>rev: cat dog<|assistant|>dog cat<|end|>
 * Supervised fine-tuning (SFT) trains on such lines with the loss counted only on the assistant's reply.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CharTokenizer } from '../tokenizers/character';
import type { TaskExample } from '../applications/tasks';
import type { TaskBatch } from '../applications/finetune';
import { IGNORE_TARGET } from '../applications/finetune';

/** The template's special tokens: who speaks next, and where the assistant's turn ends. */
export const CHAT_TOKENS = { user: '<|user|>', assistant: '<|assistant|>', end: '<|end|>' } as const;

/**
 * A character tokenizer grown by new entries appended after the base vocabulary (ids V, V+1, …), so every id the
 * base model learned keeps its meaning: extra characters (digits the base text lacked) and multi-character special tokens.
 */
export class ChatTokenizer {
  readonly added: readonly string[];
  private readonly addedIds: Map<string, number>;
  private readonly specialPattern: RegExp | undefined;

  constructor(
    readonly base: CharTokenizer,
    added: string[],
  ) {
    const known = new Set(base.chars);
    for (const a of added) {
      if (known.has(a))
        throw new Error(`ChatTokenizer: ${JSON.stringify(a)} is already in the base vocabulary or added twice`);
      known.add(a);
    }
    this.added = [...added];
    this.addedIds = new Map(this.added.map((a, i) => [a, base.vocabSize + i]));
    const specials = this.added.filter((a) => [...a].length > 1).sort((a, b) => b.length - a.length);
    this.specialPattern = specials.length
      ? new RegExp(`(${specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`)
      : undefined;
  }

  /** The base vocabulary plus every character of `text` it lacks (sorted) and then the special tokens. */
  static extending(base: CharTokenizer, text: string, specials: string[] = Object.values(CHAT_TOKENS)): ChatTokenizer {
    const have = new Set(base.chars);
    const missing = [...new Set(text)]
      .filter((c) => !have.has(c))
      .sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new ChatTokenizer(base, [...missing, ...specials]);
  }

  get vocabSize(): number {
    return this.base.vocabSize + this.added.length;
  }

  /** The id of one special token or added character. */
  id(token: string): number {
    const id =
      this.addedIds.get(token) ??
      (token.length === 1 && this.base.chars.includes(token) ? this.base.encode(token)[0] : undefined);
    if (id === undefined)
      throw new Error(
        `${JSON.stringify(token)} is not a token of this ChatTokenizer; special tokens are ${this.added.filter((a) => a.length > 1).join(' ')}`,
      );
    return id;
  }

  /** Text to ids (T): special tokens become one id each, every other character its own id. */
  encode(text: string): number[] {
    const parts = this.specialPattern ? text.split(this.specialPattern) : [text];
    const out: number[] = [];
    for (const part of parts) {
      const special = this.addedIds.get(part);
      if (special !== undefined && [...part].length > 1) {
        out.push(special);
        continue;
      }
      for (const c of part) out.push(this.addedIds.get(c) ?? this.base.encode(c)[0]);
    }
    return out;
  }

  /** Ids (T) back to text, special tokens spelled out. */
  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id >= this.base.vocabSize) {
        const a = this.added[id - this.base.vocabSize];
        if (a === undefined) throw new Error(`token id ${id} is out of range for a vocabulary of ${this.vocabSize}`);
        out += a;
      } else out += this.base.decode([id]);
    }
    return out;
  }
}

/** The prompt a chat model continues: `<|user|>prompt<|assistant|>`. */
export function chatPromptText(prompt: string): string {
  return `${CHAT_TOKENS.user}${prompt}${CHAT_TOKENS.assistant}`;
}

/** How SFT lays out and scores an example. */
export interface SFTOptions {
  /** Count the loss only on the assistant's tokens (default true); false trains on the prompt too. */
  maskPrompt?: boolean;
  /** End the reply with <|end|> (default true); without it the model never learns where to stop. */
  endOfTurn?: boolean;
  /** Keep only the last blockSize positions of a longer row (the reply and the end of its prompt), as generation crops; default: no limit. */
  blockSize?: number;
}

/** One example as ids (T) and a flag per id: true for the assistant's reply (and its end token). */
export function sftTokens(
  example: TaskExample,
  tokenizer: ChatTokenizer,
  options: SFTOptions = {},
): { ids: number[]; isAssistant: boolean[] } {
  const prompt = tokenizer.encode(chatPromptText(example.prompt));
  const reply = tokenizer.encode(example.answer + ((options.endOfTurn ?? true) ? CHAT_TOKENS.end : ''));
  return { ids: [...prompt, ...reply], isAssistant: [...prompt.map(() => false), ...reply.map(() => true)] };
}

/** Next-token targets (T − 1) for ids (T): ids[t + 1] where that token is the assistant's, else IGNORE_TARGET (−1). */
export function assistantTargets(ids: number[], isAssistant: boolean[]): number[] {
  if (ids.length !== isAssistant.length)
    throw new Error(`one flag per id: got ${ids.length} ids and ${isAssistant.length} flags`);
  const targets: number[] = [];
  // Position t predicts token t + 1: the mask is read at the predicted token, not at the input.
  for (let t = 0; t + 1 < ids.length; t++) targets.push(isAssistant[t + 1] ? ids[t + 1] : IGNORE_TARGET);
  return targets;
}

/** An SFT batch: inputs x (B, T) and targets y (B, T), right-padded with padId / IGNORE_TARGET to the longest example. */
export function sftBatch(
  examples: TaskExample[],
  tokenizer: ChatTokenizer,
  padId: number,
  options: SFTOptions = {},
): TaskBatch {
  if (examples.length === 0) throw new Error('an SFT batch needs at least one example');
  const rows = examples.map((e) => {
    const { ids, isAssistant } = sftTokens(e, tokenizer, options);
    const targets = (options.maskPrompt ?? true) ? assistantTargets(ids, isAssistant) : ids.slice(1);
    // A model sees at most blockSize tokens: a longer row loses its first prompt tokens, never its reply's.
    const keep = Math.min(targets.length, options.blockSize ?? targets.length);
    return { inputs: ids.slice(0, -1).slice(-keep), targets: targets.slice(-keep) };
  });
  const T = Math.max(...rows.map((r) => r.inputs.length));
  const x = new Int32Array(rows.length * T).fill(padId);
  const y = new Int32Array(rows.length * T).fill(IGNORE_TARGET);
  rows.forEach((r, b) => {
    x.set(r.inputs, b * T);
    y.set(r.targets, b * T);
  });
  return { x: tf.tensor2d(x, [rows.length, T], 'int32'), y: tf.tensor2d(y, [rows.length, T], 'int32') };
}
