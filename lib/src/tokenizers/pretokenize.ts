/**
 * Pre-splitting: before BPE runs, a regular expression cuts text into chunks (words with their leading space,
 * numbers, punctuation runs, whitespace), and merges never cross a chunk boundary. Without it BPE learns
 * tokens like "dog." and "dog!" separately and glues words to the punctuation after them.
 */

/** GPT-2's split pattern (OpenAI's `encoder.py`): contractions, ` ?letters`, ` ?digits`, ` ?punctuation`, whitespace. */
export const GPT2_SPLIT_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

/**
 * GPT-4's (cl100k) split pattern, rewritten for JavaScript, which lacks possessive quantifiers and `(?i:)`:
 * case-insensitive contractions, numbers cut into groups of at most three digits, newlines kept apart from spaces.
 */
export const GPT4_SPLIT_PATTERN = String.raw`'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+$|\s*[\r\n]|\s+(?!\S)|\s`;

/** Compile a split pattern with the flags the tokenizers need (global, Unicode); a bad pattern is a clear error. */
export function compileSplitPattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'gu');
  } catch (err) {
    throw new Error(
      `split pattern ${JSON.stringify(pattern)} is not a valid JavaScript regular expression (${(err as Error).message}); use GPT4_SPLIT_PATTERN or GPT2_SPLIT_PATTERN`,
    );
  }
}

/** Text to its pre-split chunks (T); `pattern` null keeps the whole text as one chunk. Chunks concatenate back to `text`. */
export function preSplit(text: string, pattern: string | RegExp | null): string[] {
  if (pattern === null) return text === '' ? [] : [text];
  const regex = typeof pattern === 'string' ? compileSplitPattern(pattern) : pattern;
  const chunks = text.match(regex) ?? [];
  return chunks;
}
