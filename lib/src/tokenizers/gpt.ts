/**
 * A real pretrained tokenizer to compare ours against: OpenAI's byte-level BPE vocabularies as implemented
 * by the npm package gpt-tokenizer. Loaded on first use (each vocabulary takes a moment and some memory).
 */
import { describeBytes, utf8Bytes } from './utf8';

/** OpenAI encodings: `r50k_base` (GPT-2, GPT-3), `cl100k_base` (GPT-3.5, GPT-4), `o200k_base` (GPT-4o). */
export type GptEncodingName = 'r50k_base' | 'cl100k_base' | 'o200k_base';

/** One token of a pretrained tokenizer: its id, its bytes and its text for display (stray bytes as `<0xE5>`). */
export interface GptToken {
  id: number;
  bytes: Uint8Array;
  text: string;
}

interface GptEncodingModule {
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  decode(ids: Iterable<number>): string;
  vocabularySize: number;
}

const encodings = new Map<
  GptEncodingName,
  { api: GptEncodingModule; ranks: readonly (string | readonly number[])[] }
>();
const NAMES: readonly GptEncodingName[] = ['r50k_base', 'cl100k_base', 'o200k_base'];

function load(name: GptEncodingName): { api: GptEncodingModule; ranks: readonly (string | readonly number[])[] } {
  if (!NAMES.includes(name))
    throw new Error(`unknown GPT encoding ${JSON.stringify(name)}; use one of ${NAMES.join(', ')}`);
  let entry = encodings.get(name);
  if (entry === undefined) {
    // The per-encoding entry points keep the other vocabularies unloaded; the rank table gives each token's exact bytes.
    const api = require(`gpt-tokenizer/cjs/encoding/${name}`) as GptEncodingModule;
    const ranks = (
      require(`gpt-tokenizer/cjs/bpeRanks/${name}`) as { default: readonly (string | readonly number[])[] }
    ).default;
    entry = { api, ranks };
    encodings.set(name, entry);
  }
  return entry;
}

/** Token ids (T) of `text` under a pretrained GPT encoding; special-token text is encoded as ordinary text. */
export function gptEncode(text: string, encoding: GptEncodingName = 'cl100k_base'): number[] {
  return load(encoding).api.encode(text, { disallowedSpecial: new Set() });
}

/** Ids (T) back to text under a pretrained GPT encoding. */
export function gptDecode(ids: Iterable<number>, encoding: GptEncodingName = 'cl100k_base'): string {
  return load(encoding).api.decode(ids);
}

/** Vocabulary size V of a pretrained GPT encoding, special tokens included. */
export function gptVocabSize(encoding: GptEncodingName = 'cl100k_base'): number {
  return load(encoding).api.vocabularySize;
}

/** `text` split into the tokens (T) a pretrained GPT tokenizer sees, with each token's bytes and display text. */
export function gptTokenize(text: string, encoding: GptEncodingName = 'cl100k_base'): GptToken[] {
  const { ranks } = load(encoding);
  return gptEncode(text, encoding).map((id) => {
    const entry = ranks[id];
    const bytes = typeof entry === 'string' ? utf8Bytes(entry) : Uint8Array.from(entry);
    return { id, bytes, text: describeBytes(bytes) };
  });
}
