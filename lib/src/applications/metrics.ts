/**
 * Scoring generated answers. Exact match is the strictest useful metric: after a light,
 * documented normalisation (SQuAD's: lower case, no punctuation, no articles, single spaces),
 * the prediction equals the reference or it does not.
 */

/** SQuAD-style normalisation: lower-case, drop punctuation and the articles a/an/the, collapse whitespace. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** 1 if the prediction equals any reference after normalisation (or exactly, with normalize: false), else 0. */
export function exactMatch(
  prediction: string,
  references: string | string[],
  options: { normalize?: boolean } = {},
): number {
  const refs = Array.isArray(references) ? references : [references];
  if (refs.length === 0) throw new Error('exact match needs at least one reference answer');
  const norm = (options.normalize ?? true) ? normalizeAnswer : (s: string) => s;
  const p = norm(prediction);
  return refs.some((r) => norm(r) === p) ? 1 : 0;
}

/** The answer part of a completion: everything before the first stop string (default a newline). */
export function extractAnswer(completion: string, stop = '\n'): string {
  const i = completion.indexOf(stop);
  return i < 0 ? completion : completion.slice(0, i);
}

/** Accuracy of completions against references (N each): the fraction whose extracted answer matches exactly. */
export function exactMatchAccuracy(
  completions: string[],
  references: string[],
  options: { stop?: string; normalize?: boolean } = {},
): number {
  if (completions.length !== references.length) {
    throw new Error(
      `one completion per reference: got ${completions.length} completions and ${references.length} references`,
    );
  }
  if (completions.length === 0) throw new Error('accuracy of zero examples is undefined; pass at least one');
  const hits = completions.reduce(
    (acc, c, i) => acc + exactMatch(extractAnswer(c, options.stop), references[i], options),
    0,
  );
  return hits / completions.length;
}

/**
 * Wilson score interval of a proportion k/n at normal quantile z (1.96: 95 %): unlike p ± z·√(p(1−p)/n) it stays
 * inside [0, 1] and is not zero-width at 0 or n successes, which small test sets hit all the time.
 */
export function wilsonInterval(
  successes: number,
  n: number,
  z = 1.96,
): { estimate: number; low: number; high: number } {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`a confidence interval needs n >= 1 trials, got ${n}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= n))
    throw new Error(`successes must be an integer in [0, ${n}], got ${successes}`);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
