/**
 * Training byte-level BPE: count adjacent pairs, merge the most frequent into a new token, repeat.
 * Done naively that recounts the whole corpus per merge. Here the text is first cut into pre-split chunks
 * and identical chunks are counted once ("the" appears thousands of times, is stored once), and each merge
 * updates only the pair counts of the chunks that contain the merged pair.
 */
import { BYTE_VOCAB_SIZE, BpeTokenizer } from './bpe';
import { GPT4_SPLIT_PATTERN, compileSplitPattern } from './pretokenize';
import { describeBytes, utf8Bytes } from './utf8';

/** What `onMerge` sees after each merge. */
export interface BpeMergeEvent {
  /** 0 for the first merge. */
  rank: number;
  pair: [number, number];
  /** The new token's id, 256 + rank. */
  id: number;
  /** How many times the pair occurred in the training text when it was merged. */
  count: number;
  /** The new token for display, e.g. `' the'`; stray bytes as `<0xE5>`. */
  text: string;
}

/** Options for `trainBpe`. */
export interface BpeTrainOptions {
  /** Final vocabulary size: 256 bytes + merges + special tokens. */
  vocabSize: number;
  /** Pre-split pattern (default `GPT4_SPLIT_PATTERN`); null learns merges across the whole text, spaces and all. */
  pattern?: string | null;
  /** Special tokens (e.g. `<|endoftext|>`): never merged, given the last ids. */
  specialTokens?: readonly string[];
  /** Stop early when the most frequent pair occurs fewer times than this (default 2: a pair seen once teaches nothing). */
  minPairCount?: number;
  /** Called after every merge, to watch training happen. */
  onMerge?: (event: BpeMergeEvent) => void;
}

/** Learn `vocabSize - 256 - specials` merges from `text` (fewer if pairs run out) and return the tokenizer. */
export function trainBpe(text: string, options: BpeTrainOptions): BpeTokenizer {
  const { vocabSize, specialTokens = [], minPairCount = 2, onMerge } = options;
  const pattern = options.pattern === undefined ? GPT4_SPLIT_PATTERN : options.pattern;
  const smallest = BYTE_VOCAB_SIZE + specialTokens.length;
  if (!Number.isInteger(vocabSize) || vocabSize < smallest) {
    throw new Error(
      `vocabSize must be an integer of at least ${smallest} (256 bytes + ${specialTokens.length} special tokens), got ${vocabSize}`,
    );
  }
  const corpus = countChunks(text, pattern, specialTokens);
  const stats = new PairStats(corpus, vocabSize);
  const merges: [number, number][] = [];
  const counts: number[] = [];
  const vocab: Uint8Array[] = Array.from({ length: BYTE_VOCAB_SIZE }, (_, b) => Uint8Array.of(b));
  const target = vocabSize - smallest;
  while (merges.length < target) {
    const best = stats.mostFrequent();
    if (best === null || best.count < minPairCount) break;
    const id = BYTE_VOCAB_SIZE + merges.length;
    stats.merge(best.a, best.b, id);
    merges.push([best.a, best.b]);
    counts.push(best.count);
    vocab.push(concatBytes(vocab[best.a], vocab[best.b]));
    onMerge?.({
      rank: merges.length - 1,
      pair: [best.a, best.b],
      id,
      count: best.count,
      text: describeBytes(vocab[id]),
    });
  }
  return new BpeTokenizer({ merges, counts, pattern, specialTokens });
}

/** Distinct pre-split chunks of `text` as byte ids, with how often each occurs; special tokens are cut out. */
function countChunks(
  text: string,
  pattern: string | null,
  specialTokens: readonly string[],
): { words: number[][]; freq: number[] } {
  const regex = pattern === null ? null : compileSplitPattern(pattern);
  const counts = new Map<string, number>();
  for (const piece of splitOnSpecials(text, specialTokens)) {
    const chunks = regex === null ? [piece] : (piece.match(regex) ?? []);
    for (const c of chunks) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [chunk, n] of counts) {
    const ids = Array.from(utf8Bytes(chunk));
    if (ids.length < 2) continue; // no pairs: nothing to learn from it
    words.push(ids);
    freq.push(n);
  }
  return { words, freq };
}

function splitOnSpecials(text: string, specialTokens: readonly string[]): string[] {
  let pieces = [text];
  for (const special of specialTokens) pieces = pieces.flatMap((p) => p.split(special));
  return pieces.filter((p) => p !== '');
}

function concatBytes(x: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}

/** Pair counts over a weighted set of words, kept up to date as pairs are merged. */
class PairStats {
  private readonly counts = new Map<number, number>();
  /** Which words contain each pair (may also list words that no longer do: they are skipped). */
  private readonly where = new Map<number, Set<number>>();

  /** Pair (a, b) is the key a * base + b; with base = the final vocabulary size, keys stay small integers for V8's Map. */
  constructor(
    private readonly corpus: { words: number[][]; freq: number[] },
    private readonly base: number,
  ) {
    corpus.words.forEach((ids, w) => {
      for (let i = 0; i + 1 < ids.length; i++) this.add(ids[i], ids[i + 1], corpus.freq[w], w);
    });
  }

  private add(a: number, b: number, n: number, w: number): void {
    const key = a * this.base + b;
    const count = (this.counts.get(key) ?? 0) + n;
    if (count === 0) this.counts.delete(key);
    else this.counts.set(key, count);
    if (n > 0) {
      let words = this.where.get(key);
      if (words === undefined) this.where.set(key, (words = new Set()));
      words.add(w);
    }
  }

  /** The most frequent pair; ties go to the smallest (a, b), so training is deterministic. */
  mostFrequent(): { a: number; b: number; count: number } | null {
    let bestKey = -1;
    let bestCount = 0;
    for (const [key, count] of this.counts) {
      if (count > bestCount || (count === bestCount && key < bestKey)) {
        bestKey = key;
        bestCount = count;
      }
    }
    if (bestKey < 0) return null;
    const b = bestKey % this.base;
    return { a: (bestKey - b) / this.base, b, count: bestCount };
  }

  /** Merge (a, b) into `id` in every word that has it, moving counts from the pairs it breaks to the pairs it makes. */
  merge(a: number, b: number, id: number): void {
    const key = a * this.base + b;
    for (const w of this.where.get(key) ?? []) this.mergeWord(w, a, b, id);
    this.where.delete(key);
    this.counts.delete(key);
  }

  private mergeWord(w: number, a: number, b: number, id: number): void {
    const ids = this.corpus.words[w];
    const n = this.corpus.freq[w];
    let write = 0;
    for (let read = 0; read < ids.length; write++) {
      if (read + 1 < ids.length && ids[read] === a && ids[read + 1] === b) {
        // ... x a b y ...  becomes  ... x id y ...: (x, a), (a, b), (b, y) go; (x, id), (id, y) come.
        // x is read from the output so far, so a run like a b a b correctly yields (id, id).
        if (write > 0) {
          this.add(ids[write - 1], a, -n, w);
          this.add(ids[write - 1], id, n, w);
        }
        if (read + 2 < ids.length) {
          this.add(b, ids[read + 2], -n, w);
          this.add(id, ids[read + 2], n, w);
        }
        this.add(a, b, -n, w);
        ids[write] = id;
        read += 2;
      } else {
        ids[write] = ids[read];
        read += 1;
      }
    }
    ids.length = write;
  }
}
