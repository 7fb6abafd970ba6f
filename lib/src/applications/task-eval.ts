/**
 * Measuring a model on a checkable task: greedy-decode each prompt, cut the completion at the
 * stop character, compare with the answer exactly. The same function runs before and after
 * fine-tuning, so the difference is the fine-tuning's, not the evaluation's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { CausalLM } from '../sampling/language-model';
import { sampleNextToken } from '../sampling/generate';
import { exactMatchAccuracy, extractAnswer } from './metrics';
import type { TaskExample } from './tasks';

/** What a tokenizer must do for task evaluation. */
export interface TextCodec {
  encode(text: string): number[];
  decode(ids: number[]): string;
}

/** A task evaluation: accuracy and what the model wrote for each example. */
export interface TaskEvaluation {
  accuracy: number;
  completions: string[];
  examples: TaskExample[];
}

/**
 * Greedy continuations of many prompts at once: prompts of one length share each forward pass,
 * so evaluating N examples costs maxNewTokens passes per length rather than N × maxNewTokens.
 * Returns the new ids of each prompt (N lists of maxNewTokens ids).
 */
export function greedyContinueBatch(model: CausalLM, prompts: number[][], maxNewTokens: number): number[][] {
  return continueBatch(model, prompts, maxNewTokens, (last) => {
    const next = tf.argMax(last, 1); // (B)
    const tokens = Array.from(next.dataSync());
    next.dispose();
    return tokens;
  });
}

/**
 * Sampled continuations of many prompts at once, batched like greedyContinueBatch: each next token is drawn from
 * softmax(logits / temperature) with the caller's seeded Rng (the library's sampleNextToken), so the same Rng state gives the same replies.
 * Returns the new ids of each prompt (N lists of maxNewTokens ids).
 */
export function sampleContinueBatch(
  model: CausalLM,
  prompts: number[][],
  maxNewTokens: number,
  options: { temperature: number; rng: Rng },
): number[][] {
  const { temperature, rng } = options;
  if (!(temperature > 0 && Number.isFinite(temperature)))
    throw new Error(
      `sampling temperature must be a positive number, got ${temperature}; for temperature 0 use greedyContinueBatch`,
    );
  return continueBatch(model, prompts, maxNewTokens, (last) => {
    const logits = last.dataSync(); // (B·V)
    const V = model.vocabSize;
    return Array.from(
      { length: last.shape[0] },
      (_, b) => sampleNextToken(logits.subarray(b * V, (b + 1) * V), { temperature }, [], rng).token,
    );
  });
}

/** The batched decoding loop: pickNext turns the last position's logits (B, V) into the next ids (B). */
function continueBatch(
  model: CausalLM,
  prompts: number[][],
  maxNewTokens: number,
  pickNext: (lastLogits: tf.Tensor2D) => number[],
): number[][] {
  if (!(Number.isInteger(maxNewTokens) && maxNewTokens >= 1))
    throw new Error(`maxNewTokens must be a positive integer, got ${maxNewTokens}`);
  const out: number[][] = prompts.map(() => []);
  const byLength = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`prompt ${i} is empty; every prompt needs at least one token`);
    byLength.set(p.length, [...(byLength.get(p.length) ?? []), i]);
  });
  for (const indices of byLength.values()) {
    const rows = indices.map((i) => [...prompts[i]]);
    for (let step = 0; step < maxNewTokens; step++) {
      const T = Math.min(rows[0].length, model.blockSize);
      const last = tf.tidy(() => {
        const ids = tf.tensor2d(
          rows.map((r) => r.slice(-T)),
          [rows.length, T],
          'int32',
        ); // (B, T)
        const logits = model.forward(ids); // (B, T, V)
        return logits.slice([0, T - 1, 0], [-1, 1, -1]).reshape([rows.length, model.vocabSize]) as tf.Tensor2D; // (B, V)
      });
      const tokens = pickNext(last);
      last.dispose();
      rows.forEach((r, b) => r.push(tokens[b]));
    }
    indices.forEach((i, b) => (out[i] = rows[b].slice(prompts[i].length)));
  }
  return out;
}

/** Greedy completions of every prompt (cut at the stop character) and their exact-match accuracy. */
export function evaluateTask(
  model: CausalLM,
  codec: TextCodec,
  examples: TaskExample[],
  options: { stop?: string; maxNewTokens?: number } = {},
): TaskEvaluation {
  const stop = options.stop ?? '\n';
  const stopIds = codec.encode(stop);
  if (stopIds.length !== 1)
    throw new Error(`the stop string must be one token, got ${stopIds.length} for ${JSON.stringify(stop)}`);
  const maxNewTokens = options.maxNewTokens ?? Math.max(...examples.map((e) => codec.encode(e.answer).length)) + 1;
  const generated = greedyContinueBatch(
    model,
    examples.map((e) => codec.encode(e.prompt)),
    maxNewTokens,
  );
  const completions = generated.map((ids) => codec.decode(ids));
  // Exact match without normalisation: for "081" vs "81" the zero is part of the answer.
  const accuracy = exactMatchAccuracy(
    completions,
    examples.map((e) => e.answer),
    { stop, normalize: false },
  );
  return { accuracy, completions: completions.map((c) => extractAnswer(c, stop)), examples };
}
