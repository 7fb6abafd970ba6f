/**
 * Word-level tokenization: one id per word. English marks words with spaces and punctuation;
 * Chinese, Japanese and Thai do not, so there a dictionary-based segmenter (`Intl.Segmenter`) finds the words.
 * A word vocabulary is closed: any word it never saw becomes `<unk>`, which is why models moved to subwords.
 */
import type { Tokenizer } from './tokenizer';

/** The id-0 token every word tokenizer maps unseen words to. */
export const UNKNOWN_WORD = '<unk>';

/** Options for `splitWords`. */
export interface SplitWordsOptions {
  /** BCP 47 locale (`'zh'`, `'ja'`, `'th'`): segment with `Intl.Segmenter` instead of spaces and punctuation. */
  locale?: string;
}

// A word is letters (and combining marks) with inner apostrophes or hyphens ("don't", "well-known"), a number, or one punctuation mark.
const WORD_PATTERN = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*|\p{N}+(?:[.,]\p{N}+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/** Text to words (T): by spaces and punctuation, or with `locale` by `Intl.Segmenter`; whitespace is dropped. */
export function splitWords(text: string, options: SplitWordsOptions = {}): string[] {
  if (options.locale === undefined) return text.match(WORD_PATTERN) ?? [];
  const segmenter = new Intl.Segmenter(checkedLocale(options.locale), { granularity: 'word' });
  const words: string[] = [];
  for (const { segment } of segmenter.segment(text)) if (segment.trim() !== '') words.push(segment);
  return words;
}

function checkedLocale(locale: string): string {
  let supported: string[];
  try {
    supported = Intl.Segmenter.supportedLocalesOf([locale]);
  } catch {
    throw new Error(
      `locale ${JSON.stringify(locale)} is not a valid BCP 47 tag; use one like 'zh', 'ja', 'th' or 'en'`,
    );
  }
  if (supported.length === 0) {
    throw new Error(
      `Intl.Segmenter has no word data for locale ${JSON.stringify(locale)} in this Node.js build; use a Node.js with full ICU (the default since Node 13) or another locale`,
    );
  }
  return locale;
}

// Scripts written without spaces between words: decoding joins their words with nothing.
const UNSPACED_LANGUAGES = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my', 'bo']);

/** Options for `WordTokenizer.fromText`. */
export interface WordTokenizerOptions extends SplitWordsOptions {
  /** Keep at most this many words (most frequent first), plus `<unk>`. */
  maxVocab?: number;
  /** Keep only words seen at least this often (default 1). */
  minCount?: number;
}

/** One id per word; id 0 is `<unk>`. Decoding is lossy: it cannot know the original spacing. */
export class WordTokenizer implements Tokenizer {
  /** The vocabulary: `words[id]`; `words[0]` is `<unk>`. */
  readonly words: readonly string[];
  readonly locale: string | undefined;
  private readonly ids: Map<string, number>;

  constructor(words: Iterable<string>, locale?: string) {
    this.words = [UNKNOWN_WORD, ...[...new Set(words)].filter((w) => w !== UNKNOWN_WORD)];
    this.locale = locale;
    this.ids = new Map(this.words.map((w, i) => [w, i]));
  }

  /** Vocabulary of the most frequent words in `text` (ties in code-unit order, so it is deterministic). */
  static fromText(text: string, options: WordTokenizerOptions = {}): WordTokenizer {
    const { maxVocab = Infinity, minCount = 1 } = options;
    if (!(maxVocab >= 0)) throw new Error(`maxVocab must be a non-negative number of words, got ${maxVocab}`);
    const counts = new Map<string, number>();
    for (const w of splitWords(text, options)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const kept = [...counts]
      .filter(([, n]) => n >= minCount)
      .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxVocab)
      .map(([w]) => w);
    return new WordTokenizer(kept, options.locale);
  }

  get vocabSize(): number {
    return this.words.length;
  }

  /** Text to word ids (T); words outside the vocabulary become 0 (`<unk>`). */
  encode(text: string): number[] {
    return splitWords(text, { locale: this.locale }).map((w) => this.ids.get(w) ?? 0);
  }

  /** Word ids (T) to text, words joined by spaces (by nothing for unspaced scripts). */
  decode(ids: ArrayLike<number>): string {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const w = this.words[ids[i]];
      if (w === undefined)
        throw new Error(
          `token id ${ids[i]} is out of range for a vocabulary of ${this.words.length} words (ids 0 to ${this.words.length - 1})`,
        );
      words.push(w);
    }
    const language = (this.locale ?? 'en').toLowerCase().split('-')[0];
    return words.join(UNSPACED_LANGUAGES.has(language) ? '' : ' ');
  }

  /** Fraction of the words in `text` that fall outside the vocabulary (0 when `text` has no words). */
  unknownRate(text: string): number {
    const ids = this.encode(text);
    return ids.length === 0 ? 0 : ids.filter((id) => id === 0).length / ids.length;
  }
}
