/**
 * Byte-level byte-pair encoding (BPE), as in GPT-2 and minbpe. The base vocabulary is the 256 byte values,
 * so any Unicode text encodes with no unknown tokens; each learned merge turns one adjacent pair of ids into
 * a new id. Encoding replays the merges in the order they were learned; decoding concatenates bytes.
 */
import type { Tokenizer } from './tokenizer';
import { compileSplitPattern } from './pretokenize';
import { describeBytes, utf8Bytes, utf8Text } from './utf8';

/** The 256 byte values are ids 0 to 255; merge i makes id 256 + i. */
export const BYTE_VOCAB_SIZE = 256;

/** Replace every non-overlapping occurrence of (a, b) in `ids` (T), left to right, by `id`, in place; returns `ids`. */
export function mergePairInPlace(ids: number[], a: number, b: number, id: number): number[] {
  let write = 0;
  for (let read = 0; read < ids.length; write++) {
    if (read + 1 < ids.length && ids[read] === a && ids[read + 1] === b) {
      ids[write] = id;
      read += 2;
    } else {
      ids[write] = ids[read];
      read += 1;
    }
  }
  ids.length = write;
  return ids;
}

/** One learned merge: adjacent ids `pair` become `id`; `count` is how often the pair occurred when it was learned (0 if unknown). */
export interface BpeMerge {
  readonly pair: readonly [number, number];
  readonly id: number;
  readonly count: number;
}

/** Everything that defines a BPE tokenizer: what `trainBpe` learns and what `saveBpe` writes. */
export interface BpeTokenizerSpec {
  /** Merge i joins `merges[i]` into id 256 + i. */
  merges: readonly (readonly [number, number])[];
  /** Pair counts at training time, one per merge (optional, for display). */
  counts?: readonly number[];
  /** Pre-split pattern (`GPT4_SPLIT_PATTERN`, `GPT2_SPLIT_PATTERN`), or null to run BPE over the whole text. */
  pattern: string | null;
  /** Special tokens: a list takes the ids after the merges, in order; a record names each id. */
  specialTokens?: readonly string[] | Readonly<Record<string, number>>;
}

/**
 * Which special tokens `encode` may emit: `'none_raise'` (default) throws if the text contains one,
 * `'none'` encodes them as ordinary text, `'all'` or a list emits them as single ids.
 */
export type AllowedSpecial = 'all' | 'none' | 'none_raise' | readonly string[];

// Longer chunks (text encoded without a split pattern) replay the merges in order: one pass per merge is
// linear in the chunk, where searching for the earliest-learned pair on every step would be quadratic.
const LONG_CHUNK = 256;
const CACHE_LIMIT = 100_000;

/** A byte-level BPE tokenizer: encode, decode, special tokens. Train one with `trainBpe`. */
export class BpeTokenizer implements Tokenizer {
  readonly merges: readonly BpeMerge[];
  readonly pattern: string | null;
  /** Special token text to id. */
  readonly specialTokens: ReadonlyMap<string, number>;
  readonly vocabSize: number;
  private readonly vocab: Uint8Array[] = [];
  // Pair (a, b) -> merged id, keyed a * base + b with base = ids before special tokens: for vocabularies up to
  // 46,340 the keys stay small integers, which V8's Map hashes fastest.
  private readonly mergedId = new Map<number, number>();
  private readonly keyBase: number;
  private readonly specialText = new Map<number, string>();
  private readonly regex: RegExp | null;
  private readonly cache = new Map<string, number[]>();

  constructor(spec: BpeTokenizerSpec) {
    for (let b = 0; b < BYTE_VOCAB_SIZE; b++) this.vocab.push(Uint8Array.of(b));
    this.keyBase = BYTE_VOCAB_SIZE + spec.merges.length;
    this.merges = spec.merges.map((pair, i) => this.addMerge(pair, i, spec.counts?.[i] ?? 0));
    this.pattern = spec.pattern;
    this.regex = spec.pattern === null ? null : compileSplitPattern(spec.pattern);
    this.specialTokens = this.checkSpecials(spec.specialTokens ?? []);
    for (const [text, id] of this.specialTokens) this.specialText.set(id, text);
    this.vocabSize = Math.max(this.vocab.length, ...[...this.specialTokens.values()].map((id) => id + 1));
  }

  private addMerge(pair: readonly [number, number], i: number, count: number): BpeMerge {
    const id = BYTE_VOCAB_SIZE + i;
    const [a, b] = pair;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= id || b >= id) {
      throw new Error(
        `merge ${i} joins (${a}, ${b}), but only ids 0 to ${id - 1} exist before it; each merge may only join earlier ids`,
      );
    }
    const key = a * this.keyBase + b;
    if (this.mergedId.has(key))
      throw new Error(`merge ${i} repeats the pair (${a}, ${b}), already merged into ${this.mergedId.get(key)}`);
    this.mergedId.set(key, id);
    const bytes = new Uint8Array(this.vocab[a].length + this.vocab[b].length);
    bytes.set(this.vocab[a]);
    bytes.set(this.vocab[b], this.vocab[a].length);
    this.vocab.push(bytes);
    return { pair: [a, b], id, count };
  }

  private checkSpecials(specials: readonly string[] | Readonly<Record<string, number>>): Map<string, number> {
    const first = this.vocab.length;
    const entries: [string, number][] = Array.isArray(specials)
      ? (specials as readonly string[]).map((text, i) => [text, first + i])
      : Object.entries(specials as Record<string, number>);
    const byId = new Set<number>();
    for (const [text, id] of entries) {
      if (text === '') throw new Error('a special token cannot be the empty string; use a marker like <|endoftext|>');
      if (!Number.isInteger(id) || id < first)
        throw new Error(
          `special token ${JSON.stringify(text)} has id ${id}, but ids below ${first} belong to bytes and merges; give it an id of ${first} or more`,
        );
      if (byId.has(id))
        throw new Error(`special token ${JSON.stringify(text)} reuses id ${id}; give each special token its own id`);
      byId.add(id);
    }
    return new Map(entries);
  }

  /** Text to ids (T). Special tokens in the text follow `allowedSpecial` (default: throw, as tiktoken does). */
  encode(text: string, options: { allowedSpecial?: AllowedSpecial } = {}): number[] {
    const allowed = this.allowedSpecials(text, options.allowedSpecial ?? 'none_raise');
    if (allowed.length === 0) return this.encodeOrdinary(text);
    // Longest first, so that a special token that contains another wins.
    const alternatives = allowed
      .sort((x, y) => y.length - x.length)
      .map(escapeRegExp)
      .join('|');
    const out: number[] = [];
    let pos = 0;
    for (const m of text.matchAll(new RegExp(alternatives, 'g'))) {
      append(out, this.encodeOrdinary(text.slice(pos, m.index)));
      out.push(this.specialTokens.get(m[0])!);
      pos = m.index! + m[0].length;
    }
    append(out, this.encodeOrdinary(text.slice(pos)));
    return out;
  }

  private allowedSpecials(text: string, allowed: AllowedSpecial): string[] {
    if (allowed === 'none') return [];
    if (allowed === 'all') return [...this.specialTokens.keys()];
    if (allowed === 'none_raise') {
      for (const special of this.specialTokens.keys()) {
        if (text.includes(special)) {
          throw new Error(
            `text contains the special token ${JSON.stringify(special)}; pass { allowedSpecial: 'all' } to encode it as one token, or 'none' to encode it as ordinary text`,
          );
        }
      }
      return [];
    }
    if (!Array.isArray(allowed))
      throw new Error(
        `allowedSpecial must be 'all', 'none', 'none_raise' or a list of special tokens, got ${JSON.stringify(allowed)}`,
      );
    for (const special of allowed) {
      if (!this.specialTokens.has(special))
        throw new Error(
          `${JSON.stringify(special)} is not a special token of this tokenizer (it has ${JSON.stringify([...this.specialTokens.keys()])})`,
        );
    }
    return [...allowed];
  }

  /** Text to ids (T), treating special-token text as ordinary text. */
  encodeOrdinary(text: string): number[] {
    const out: number[] = [];
    if (this.regex === null) return text === '' ? out : this.encodeBytes(utf8Bytes(text));
    const regex = this.regex;
    regex.lastIndex = 0;
    let pos = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0] === '')
        throw new Error(
          `split pattern ${JSON.stringify(this.pattern)} matched the empty string at index ${m.index}; every alternative must consume at least one character`,
        );
      // A pattern that skips characters must not lose them: the gap becomes a chunk of its own.
      if (m.index > pos) this.encodeChunkInto(text.slice(pos, m.index), out);
      this.encodeChunkInto(m[0], out);
      pos = m.index + m[0].length;
    }
    if (pos < text.length) this.encodeChunkInto(text.slice(pos), out);
    return out;
  }

  private encodeChunkInto(chunk: string, out: number[]): void {
    let ids = this.cache.get(chunk);
    if (ids === undefined) {
      ids = this.mergeAll(byteIds(chunk));
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(chunk, ids);
    }
    append(out, ids);
  }

  /** UTF-8 bytes (T) to ids: merge the earliest-learned adjacent pair until none is left. */
  encodeBytes(bytes: Uint8Array): number[] {
    return this.mergeAll(Array.from(bytes));
  }

  private mergeAll(ids: number[]): number[] {
    if (ids.length > LONG_CHUNK) {
      // Same result as the loop below: a merge can only create pairs learned after it.
      for (const { pair, id } of this.merges) mergePairInPlace(ids, pair[0], pair[1], id);
      return ids;
    }
    while (ids.length >= 2) {
      let best = Infinity;
      for (let i = 0; i + 1 < ids.length; i++) {
        const id = this.mergedId.get(ids[i] * this.keyBase + ids[i + 1]);
        if (id !== undefined && id < best) best = id;
      }
      if (best === Infinity) break;
      const [a, b] = this.merges[best - BYTE_VOCAB_SIZE].pair;
      mergePairInPlace(ids, a, b, best);
    }
    return ids;
  }

  /** The bytes (T) one id stands for; special tokens give their text's bytes. */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.vocab[id];
    if (bytes !== undefined) return bytes.slice();
    const special = this.specialText.get(id);
    if (special !== undefined) return utf8Bytes(special);
    throw new Error(
      `token id ${id} is not in this tokenizer's vocabulary of ${this.vocabSize} (ids 0 to ${this.vocabSize - 1})`,
    );
  }

  /** One token for display: its characters, with stray bytes of a split character as `<0xE5>`. */
  tokenText(id: number): string {
    return describeBytes(this.tokenBytes(id));
  }

  /** Ids (T) to the bytes they stand for. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (let i = 0; i < ids.length; i++) {
      const part = this.vocab[ids[i]] ?? this.tokenBytes(ids[i]);
      parts.push(part);
      length += part.length;
    }
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Ids (T) to text: decode all bytes together, since one character's bytes can span tokens. */
  decode(ids: ArrayLike<number>): string {
    return utf8Text(this.decodeBytes(ids));
  }

  /**
   * A decoder for ids that arrive one at a time (generation): `push(id)` returns the text completed so far,
   * holding back the first bytes of a character until its last byte arrives; `flush()` ends the stream.
   */
  decodeStream(): { push(id: number): string; flush(): string } {
    const decoder = new TextDecoder('utf-8');
    return {
      push: (id) => decoder.decode(this.vocab[id] ?? this.tokenBytes(id), { stream: true }),
      flush: () => decoder.decode(),
    };
  }
}

/** A chunk's UTF-8 bytes as ids; most chunks are ASCII, where each UTF-16 code unit is its byte. */
function byteIds(chunk: string): number[] {
  const ids: number[] = new Array(chunk.length);
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c >= 0x80) return Array.from(utf8Bytes(chunk));
    ids[i] = c;
  }
  return ids;
}

// Spreading a long array into push() overflows the stack; a loop does not.
function append(out: number[], ids: readonly number[]): void {
  for (let i = 0; i < ids.length; i++) out.push(ids[i]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
