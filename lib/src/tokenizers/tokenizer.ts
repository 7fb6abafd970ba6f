/** What every tokenizer in the course can do: text to ids (T) and back. */
export interface Tokenizer {
  /** Number of distinct ids: every id is in [0, vocabSize). */
  readonly vocabSize: number;
  /** Text to token ids (T). */
  encode(text: string): number[];
  /** Token ids (T) back to text. */
  decode(ids: ArrayLike<number>): string;
}
