/**
 * The small steps between raw text and token ids in a pre-training pipeline: cleaning, de-duplication,
 * fitting text to a fixed vocabulary, and one augmentation (typos) to show why pre-training rarely augments.
 */
import { Rng } from '../core/random';

/** Clean text: Unicode NFC, Unix newlines, no trailing spaces, at most one blank line in a row. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC') // é as one code point, not e + combining accent: one character, one token
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .concat('\n');
}

/** Drop repeated paragraphs (blank-line separated; compared ignoring case and spacing); keeps the first copy. */
export function dedupeParagraphs(text: string): { text: string; removed: number; kept: number } {
  const seen = new Set<string>();
  const kept: string[] = [];
  let removed = 0;
  for (const paragraph of text.split(/\n\s*\n/)) {
    const key = paragraph.toLowerCase().replace(/\s+/g, ' ').trim();
    if (key === '') continue;
    // Repeats teach the model to recite them and leak between train and validation splits.
    if (seen.has(key)) {
      removed++;
      continue;
    }
    seen.add(key);
    kept.push(paragraph);
  }
  return { text: kept.join('\n\n'), removed, kept: kept.length };
}

/** Keep only characters in `vocabulary` (e.g. a CharTokenizer's chars); returns the text and how many were dropped. */
export function fitToVocabulary(text: string, vocabulary: Iterable<string>): { text: string; dropped: number } {
  const allowed = new Set(vocabulary);
  let dropped = 0;
  let out = '';
  for (const c of text) {
    if (allowed.has(c)) out += c;
    else dropped++;
  }
  return { text: out, dropped };
}

/** Tokenised sentences (words) back to plain text, one sentence per line, no space before punctuation. */
export function sentencesToText(sentences: string[][]): string {
  return sentences
    .map((words) =>
      words
        .join(' ')
        .replace(/ ([.,;:!?')])/g, '$1')
        .replace(/([(`]) /g, '$1')
        .replace(/``|''/g, '"'),
    )
    .join('\n');
}

/** Augment text with typos: each letter is swapped with its right neighbour with probability `rate` (seeded). */
export function addTypos(text: string, rate: number, rng: Rng): string {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`typo rate must be in [0, 1], got ${rate}`);
  const chars = [...text];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (/\p{L}/u.test(chars[i]) && /\p{L}/u.test(chars[i + 1]) && rng.next() < rate) {
      [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
      i++; // do not swap the same letter twice
    }
  }
  return chars.join('');
}
