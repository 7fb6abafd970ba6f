/**
 * Token-level classification: a tag for every word, read from a character GPT. Brown's 80-odd part-of-speech tags
 * fold into a few coarse classes; each word's tag is the target at its LAST character, the first position that has
 * read the whole word (a causal model sees the words before it, never the ones after). Every other position is −1.
 *   ids (B, T) → blocks → ln_f → h (B, T, C) → classifier (K, C) → logits (B, T, K)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { TaggedWord } from '../data/brown';
import type { GPTConfig } from '../model/gpt';
import { maybeParam, param } from '../model/init';
import { linear } from '../model/linear';
import type { Params } from '../model/params';
import type { CharTokenizer } from '../tokenizers/character';
import { IGNORE_TARGET } from '../applications/finetune';
import { gptHiddenStates } from './classify';

/** The coarse parts of speech Brown's tags fold into. */
export const COARSE_TAGS = [
  'noun',
  'verb',
  'adj',
  'adv',
  'pronoun',
  'det',
  'prep',
  'conj',
  'num',
  'punct',
  'other',
] as const;
export type CoarseTag = (typeof COARSE_TAGS)[number];

/** A Brown tag's coarse class: `nns` → noun, `vbd-hl` → verb, `ppss+md` → pronoun (its first part), `.` → punct. */
export function coarseTag(brownTag: string): CoarseTag {
  // Drop title/headline/cited markers (-tl, -hl, -nc), negation (*) and possessive ($); a contraction counts as its first part.
  const t = brownTag
    .toLowerCase()
    .split('+')[0]
    .replace(/-(tl|hl|nc)/g, '')
    .replace(/[*$]/g, '');
  if (t === '' || !/[a-z]/.test(t)) return 'punct';
  if (t.startsWith('fw-')) return 'other';
  if (/^(nn|np|nr)/.test(t)) return 'noun';
  if (/^(vb|be|do|hv|md)/.test(t)) return 'verb';
  if (t.startsWith('jj')) return 'adj';
  if (/^(rb|ql|rp|wrb)/.test(t)) return 'adv';
  if (/^(pp|wp|pn)/.test(t)) return 'pronoun';
  if (/^(at|dt|ap|ab|wdt)/.test(t)) return 'det';
  if (t === 'in') return 'prep';
  if (t === 'cc' || t === 'cs') return 'conj';
  if (t === 'cd' || t === 'od') return 'num';
  return 'other';
}

/** A tagged text as character ids (N) and, per id, the coarse tag index of the word ending there, else −1 (N). */
export interface TaggedIds {
  ids: number[];
  tags: number[];
}

/**
 * Sentences of tagged words as one character text: words joined by spaces, sentences by newlines, characters the
 * tokenizer lacks dropped (a word left empty is skipped); each word's coarse tag sits at its last character.
 */
export function taggedIds(sentences: TaggedWord[][], tokenizer: CharTokenizer): TaggedIds {
  const known = new Set(tokenizer.chars);
  for (const sep of [' ', '\n'])
    if (!known.has(sep))
      throw new Error(`the tokenizer has no ${JSON.stringify(sep)}; tagged text needs it between words`);
  const ids: number[] = [];
  const tags: number[] = [];
  const push = (text: string, tag: number) => {
    const encoded = tokenizer.encode(text);
    ids.push(...encoded);
    tags.push(...encoded.map((_, i) => (i === encoded.length - 1 ? tag : IGNORE_TARGET)));
  };
  for (const sentence of sentences) {
    let first = true;
    for (const w of sentence) {
      const word = [...w.word].filter((c) => known.has(c)).join('');
      if (word === '') continue;
      if (!first) push(' ', IGNORE_TARGET);
      push(word, COARSE_TAGS.indexOf(coarseTag(w.tag)));
      first = false;
    }
    if (!first) push('\n', IGNORE_TARGET);
  }
  return { ids, tags };
}

/** B random windows of T characters of a tagged text: inputs x (B, T) and targets y (B, T), −1 where no word ends. */
export function sampleTaggedWindows(
  text: TaggedIds,
  B: number,
  T: number,
  rng: Rng,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  if (text.ids.length < T)
    throw new Error(`a tagged text of ${text.ids.length} characters is shorter than the window ${T}`);
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const start = rng.int(text.ids.length - T + 1);
    x.set(text.ids.slice(start, start + T), b * T);
    y.set(text.tags.slice(start, start + T), b * T);
  }
  return { x: tf.tensor2d(x, [B, T], 'int32'), y: tf.tensor2d(y, [B, T], 'int32') };
}

/** Tag logits (B, T, K) at every position of ids (B, T): the classifier head on each hidden state. */
export function tokenTagLogits(params: Params, config: GPTConfig, ids: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const h = gptHiddenStates(params, config, ids); // (B, T, C)
    return linear(h, param(params, 'classifier.weight'), maybeParam(params, 'classifier.bias')) as tf.Tensor3D; // (B, T, K)
  });
}

/**
 * Tagging accuracy on a text read in consecutive windows of T characters, each word scored once (in the window
 * where it ends); `batch` windows share a forward pass. Returns the correct and scored word counts.
 */
export function tagAccuracy(
  params: Params,
  config: GPTConfig,
  text: TaggedIds,
  T: number,
  batch = 32,
): { correct: number; total: number } {
  const starts: number[] = [];
  for (let s = 0; s + T <= text.ids.length; s += T) starts.push(s);
  let correct = 0;
  let total = 0;
  for (let i = 0; i < starts.length; i += batch) {
    const part = starts.slice(i, i + batch);
    const predicted = tf.tidy(() => {
      const x = tf.tensor2d(
        part.map((s) => text.ids.slice(s, s + T)),
        [part.length, T],
        'int32',
      ); // (b, T)
      return tokenTagLogits(params, config, x).argMax(-1); // (b, T)
    });
    const values = predicted.dataSync();
    predicted.dispose();
    part.forEach((s, b) => {
      for (let t = 0; t < T; t++) {
        const want = text.tags[s + t];
        if (want === IGNORE_TARGET) continue;
        total++;
        if (values[b * T + t] === want) correct++;
      }
    });
  }
  return { correct, total };
}

/** The two baselines a tagger must beat, scored on `test`'s words: the commonest class, and a per-word lookup. */
export interface TagBaselines {
  /** The class most frequent in training (an index into COARSE_TAGS). */
  commonest: number;
  /** Test words whose class is the commonest one. */
  commonestRight: number;
  /** Test words whose class is their (lower-cased) word's commonest class in training, the commonest class if unseen. */
  lookupRight: number;
  /** Test words. */
  total: number;
}

/** Score the commonest-class and per-word lookup baselines, learnt on `train` sentences, on `test` sentences. */
export function tagBaselines(train: TaggedWord[][], test: TaggedWord[][]): TagBaselines {
  const classOf = (tag: string) => COARSE_TAGS.indexOf(coarseTag(tag));
  const counts = new Map<string, number[]>(); // word → count of each class
  const totals = COARSE_TAGS.map(() => 0);
  for (const w of train.flat()) {
    const key = w.word.toLowerCase();
    const c = counts.get(key) ?? COARSE_TAGS.map(() => 0);
    c[classOf(w.tag)]++;
    totals[classOf(w.tag)]++;
    counts.set(key, c);
  }
  const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
  const commonest = argmax(totals);
  const words = test.flat();
  const lookup = (word: string) => {
    const c = counts.get(word.toLowerCase());
    return c ? argmax(c) : commonest;
  };
  return {
    commonest,
    commonestRight: words.filter((w) => classOf(w.tag) === commonest).length,
    lookupRight: words.filter((w) => lookup(w.word) === classOf(w.tag)).length,
    total: words.length,
  };
}
