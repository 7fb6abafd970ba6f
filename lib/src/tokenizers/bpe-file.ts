/**
 * Saving and loading BPE tokenizers as versioned JSON. The merges (with the split pattern and special tokens)
 * are the whole tokenizer: the vocabulary is rebuilt from them, so a file cannot disagree with itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BpeTokenizer } from './bpe';

/** The `format` field that marks a how-llms-work BPE tokenizer file. */
export const BPE_FORMAT = 'how-llms-work/bpe';
/** The file version this library writes and reads. */
export const BPE_FORMAT_VERSION = 1;

/** The JSON shape of a saved tokenizer. */
export interface BpeJson {
  format: typeof BPE_FORMAT;
  version: number;
  pattern: string | null;
  merges: [number, number][];
  counts: number[];
  specialTokens: Record<string, number>;
}

/** A tokenizer as a plain JSON object. */
export function bpeToJson(tokenizer: BpeTokenizer): BpeJson {
  return {
    format: BPE_FORMAT,
    version: BPE_FORMAT_VERSION,
    pattern: tokenizer.pattern,
    merges: tokenizer.merges.map((m) => [m.pair[0], m.pair[1]]),
    counts: tokenizer.merges.map((m) => m.count),
    specialTokens: Object.fromEntries(tokenizer.specialTokens),
  };
}

/** A tokenizer from JSON text or a parsed object; anything malformed is an error that says what and where. */
export function bpeFromJson(json: string | unknown, source = 'tokenizer JSON'): BpeTokenizer {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new Error(
        `${source} is not valid JSON (${(err as Error).message}); was the file truncated? Save the tokenizer again with saveBpe`,
      );
    }
  }
  const d = data as Partial<BpeJson> | null;
  if (typeof d !== 'object' || d === null || d.format !== BPE_FORMAT) {
    throw new Error(
      `${source} is not a BPE tokenizer file: expected "format": "${BPE_FORMAT}", got ${JSON.stringify((d as { format?: unknown } | null)?.format ?? null)}`,
    );
  }
  if (d.version !== BPE_FORMAT_VERSION) {
    throw new Error(
      `${source} has version ${JSON.stringify(d.version)}, but this library reads version ${BPE_FORMAT_VERSION}; update the library or re-save the tokenizer with this one`,
    );
  }
  if (!Array.isArray(d.merges) || !d.merges.every((m) => Array.isArray(m) && m.length === 2)) {
    throw new Error(`${source} needs "merges" as a list of [a, b] id pairs`);
  }
  if (d.pattern !== null && typeof d.pattern !== 'string')
    throw new Error(`${source} needs "pattern" as a string or null, got ${JSON.stringify(d.pattern)}`);
  if (d.counts !== undefined && (!Array.isArray(d.counts) || d.counts.length !== d.merges.length)) {
    throw new Error(`${source} has ${d.merges.length} merges but its "counts" does not list one count per merge`);
  }
  const specialTokens = d.specialTokens ?? {};
  if (typeof specialTokens !== 'object' || specialTokens === null || Array.isArray(specialTokens)) {
    throw new Error(`${source} needs "specialTokens" as an object from token text to id`);
  }
  return new BpeTokenizer({ merges: d.merges, counts: d.counts, pattern: d.pattern ?? null, specialTokens });
}

/** Write a tokenizer to `file` as JSON, atomically (temporary file, then rename), creating the folder. */
export function saveBpe(tokenizer: BpeTokenizer, file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(bpeToJson(tokenizer)) + '\n');
  fs.renameSync(temp, file);
}

/** Read a tokenizer written by `saveBpe`. */
export function loadBpe(file: string): BpeTokenizer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read tokenizer file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path, or train and saveBpe one first`,
    );
  }
  return bpeFromJson(text, file);
}
