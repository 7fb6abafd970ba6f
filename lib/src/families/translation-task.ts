/**
 * A toy translation task whose answers can be checked: English-like sentences ("the red cat sees a dog") and their
 * translation into an invented language by three fixed rules, as real language pairs differ:
 *   1. word for word through a dictionary (the → ka, a → ne, cat → miru, red → sola, sees → vetan, …);
 *   2. adjectives follow their noun ("red cat" → "miru sola"), as in French or Spanish;
 *   3. the verb goes last (subject, object, verb), as in Japanese, Turkish or Latin.
 * "the red cat sees a dog" → "ka miru sola ne kaval vetan". Every source has exactly one right answer, so a model's
 * translation is scored by exact match, and by BLEU and chrF to see how close a wrong one came.
 */
import { Rng } from '../core/random';

/** One sentence pair. */
export interface TranslationPair {
  source: string;
  target: string;
}

const DETERMINERS: Record<string, string> = { the: 'ka', a: 'ne' };
const ADJECTIVES: Record<string, string> = {
  red: 'sola',
  small: 'tiki',
  old: 'vetu',
  happy: 'lumi',
  black: 'noro',
  quick: 'fesa',
  green: 'vira',
  tall: 'alto',
};
const NOUNS: Record<string, string> = {
  cat: 'miru',
  dog: 'kaval',
  bird: 'tipo',
  fish: 'nami',
  horse: 'hesto',
  child: 'pelo',
  king: 'rekon',
  farmer: 'bauro',
  queen: 'regina',
  wolf: 'lupo',
};
const VERBS: Record<string, string> = {
  sees: 'vetan',
  likes: 'amar',
  chases: 'kasir',
  helps: 'juvan',
  finds: 'trovi',
  follows: 'sekur',
  fears: 'timir',
  calls: 'vokan',
};

/** The dictionary of the toy language: every source word and its translation. */
export const TOY_DICTIONARY: Readonly<Record<string, string>> = {
  ...DETERMINERS,
  ...ADJECTIVES,
  ...NOUNS,
  ...VERBS,
};

/** The toy language's words (source, target), sorted: the vocabularies of the two sides. */
export function toyVocabularies(): { source: string[]; target: string[] } {
  return {
    source: Object.keys(TOY_DICTIONARY).sort(),
    target: [...new Set(Object.values(TOY_DICTIONARY))].sort(),
  };
}

/** The reference translation of a source sentence (words separated by single spaces), by the three rules. */
export function translateToy(source: string): string {
  const words = source.trim().split(/\s+/);
  const phrase = (start: number): { words: string[]; next: number } => {
    const det = words[start];
    if (!(det in DETERMINERS))
      throw new Error(`expected a determiner (the, a) at word ${start} of "${source}", got "${det}"`);
    let i = start + 1;
    const adjective = words[i] in ADJECTIVES ? words[i++] : undefined;
    const noun = words[i];
    if (!(noun in NOUNS)) throw new Error(`expected a noun at word ${i} of "${source}", got "${noun}"`);
    const out = [DETERMINERS[det], NOUNS[noun]];
    if (adjective) out.push(ADJECTIVES[adjective]); // rule 2: the adjective follows its noun
    return { words: out, next: i + 1 };
  };
  const subject = phrase(0);
  const verb = words[subject.next];
  if (!(verb in VERBS)) throw new Error(`expected a verb at word ${subject.next} of "${source}", got "${verb}"`);
  const object = phrase(subject.next + 1);
  if (object.next !== words.length)
    throw new Error(`"${source}" has words after the object: the toy grammar is determiner, adjective?, noun, verb, …`);
  return [...subject.words, ...object.words, VERBS[verb]].join(' '); // rule 3: the verb goes last
}

/** A random source sentence of the toy grammar: det adj? noun verb det adj? noun (each adjective with probability ½). */
export function randomToySentence(rng: Rng): string {
  const pick = (table: Record<string, string>) => {
    const keys = Object.keys(table);
    return keys[rng.int(keys.length)];
  };
  const phrase = () => [pick(DETERMINERS), ...(rng.next() < 0.5 ? [pick(ADJECTIVES)] : []), pick(NOUNS)];
  return [...phrase(), pick(VERBS), ...phrase()].join(' ');
}

/** Distinct sentence pairs split into train and test: no test source occurs in train (a held-out split), seeded. */
export function toyTranslationSplits(
  sizes: { train: number; test: number },
  seed = 1,
): { train: TranslationPair[]; test: TranslationPair[] } {
  const total = sizes.train + sizes.test;
  const possible = 2 * (1 + 8) * 10 * 8 * 2 * (1 + 8) * 10;
  if (total > possible / 2)
    throw new Error(`asked for ${total} distinct sentences; the toy grammar has ${possible}: ask for at most half`);
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const pairs: TranslationPair[] = [];
  while (pairs.length < total) {
    const source = randomToySentence(rng);
    if (seen.has(source)) continue;
    seen.add(source);
    pairs.push({ source, target: translateToy(source) });
  }
  return { train: pairs.slice(0, sizes.train), test: pairs.slice(sizes.train) };
}
