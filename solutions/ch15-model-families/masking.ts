import type { Rng } from '@how-llms-work/lib';

/** What BERT's masking rule makes of a sequence: the model's input, and the targets (−1 where no loss is taken). */
export interface Masked {
  inputs: number[];
  targets: number[];
}

/**
 * BERT's masking rule on token ids (N), with randomness from `rng` only (rng.next() in [0, 1), rng.int(n) in [0, n)):
 * choose each position independently with probability 0.15; a chosen position gets target = its original id, and
 * its input becomes maskId with probability 0.8, a random id uniform in [0, vocabSize) with probability 0.1, and
 * stays the original with probability 0.1. A position not chosen keeps its input and gets target −1.
 * The same seed must give the same result; `ids` is not modified.
 *
 * Example: ids [5, 6, 7] where only position 1 is chosen and masked, maskId 9 →
 *   { inputs: [5, 9, 7], targets: [-1, 6, -1] }.
 */
export function maskForMLM(ids: number[], maskId: number, vocabSize: number, rng: Rng): Masked {
  // BEGIN SOLUTION: Masked language modelling
  const inputs = [...ids];
  const targets = ids.map(() => -1);
  for (let i = 0; i < ids.length; i++) {
    if (rng.next() >= 0.15) continue;
    targets[i] = ids[i];
    const u = rng.next();
    if (u < 0.8) inputs[i] = maskId;
    else if (u < 0.9) inputs[i] = rng.int(vocabSize);
  }
  return { inputs, targets };
  // END SOLUTION
}
