/**
 * The simplest tokenizer: one id per character (Unicode code point), vocabulary read off the training text.
 * Lossless on the text it was built from, helpless on any character it never saw.
 */
import type { Tokenizer } from './tokenizer';

/** One id per code point, ids in sorted code-point order. */
export class CharTokenizer implements Tokenizer {
  /** The vocabulary: `chars[id]` is the character with that id. */
  readonly chars: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(chars: Iterable<string>) {
    this.chars = [...new Set(chars)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    for (const c of this.chars) {
      if ([...c].length !== 1)
        throw new Error(`CharTokenizer vocabulary entries must be single characters, got ${JSON.stringify(c)}`);
    }
    this.ids = new Map(this.chars.map((c, i) => [c, i]));
  }

  /** Build the vocabulary from every distinct character in `text`. */
  static fromText(text: string): CharTokenizer {
    // Spread iterates code points, so an emoji stays one character rather than two UTF-16 halves.
    return new CharTokenizer([...text]);
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  /** Text to ids (T): one id per code point. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const c of text) {
      const id = this.ids.get(c);
      if (id === undefined) {
        const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        throw new Error(
          `character ${JSON.stringify(c)} (${code}) is not in this CharTokenizer's vocabulary of ${this.chars.length} characters; ` +
            'build the tokenizer from text that contains it, or use a byte-level BPE tokenizer, which has no unknown characters',
        );
      }
      out.push(id);
    }
    return out;
  }

  /** Ids (T) back to text. */
  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]];
      if (c === undefined)
        throw new Error(
          `token id ${ids[i]} is out of range for a vocabulary of ${this.chars.length} characters (ids 0 to ${this.chars.length - 1})`,
        );
      out += c;
    }
    return out;
  }
}
