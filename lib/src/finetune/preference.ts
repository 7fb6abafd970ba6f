/**
 * Preference data and DPO training. A pair is one prompt with a preferred and a rejected reply. onPolicyPairs builds
 * them from the model's own mistakes (greedy and sampled replies that are wrong, against the answer); preferencePairs
 * pairs one greedy reply per prompt with the answer, or with a corrupted answer where the reply was right. Replies are
 * written with their end token spelled out (`19<|end|>`), so a reply that never ended its turn can be the rejected one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { GPTConfig } from '../model/gpt';
import type { Params } from '../model/params';
import { disposeAdamW } from '../training/adamw';
import { train, type TrainOptions, type TrainResult } from '../training/trainer';
import { IGNORE_TARGET, type TaskBatch } from '../applications/finetune';
import { CHAT_TOKENS, sftBatch, type ChatTokenizer } from './chat';
import { dpoLoss, gptSequenceLogProb, sequenceLogProb } from './dpo';
import { gptForward } from '../model/gpt';
import { crossEntropy } from '../training/loss';
import { chatReplies, judgeReply, type ChatReply } from './evaluate';
import type { CausalLM } from '../sampling/language-model';
import type { TaskExample } from '../applications/tasks';
import { corruptAnswer, type InstructionExample } from './instructions';

/** A prompt with a preferred and a rejected reply (each including `<|end|>` where the turn ends). */
export interface PreferencePair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Pairs from a model's replies to examples: chosen = the answer and <|end|>; rejected = the reply if wrong, else a corrupted answer. */
export function preferencePairs(examples: InstructionExample[], replies: ChatReply[], seed: number): PreferencePair[] {
  if (examples.length !== replies.length)
    throw new Error(`one reply per example: got ${replies.length} replies for ${examples.length} examples`);
  const rng = new Rng(seed);
  const end = CHAT_TOKENS.end;
  return examples.map((e, i) => {
    const r = replies[i];
    const wrong = !(r.ended && r.text === e.answer);
    const rejected = wrong ? r.text + (r.ended ? end : '') : corruptAnswer(e, rng) + end;
    return { prompt: e.prompt, chosen: e.answer + end, rejected };
  });
}

/** How onPolicyPairs asks the model: how many sampled replies per prompt, at what temperature, from which seed. */
export interface OnPolicyOptions {
  /** Replies sampled per prompt, besides the greedy one. */
  samples: number;
  temperature: number;
  seed: number;
  /** Longest reply, in tokens (a reply that has not ended by then is a rambling one). */
  maxNewTokens: number;
  /** Keep at most this many distinct wrong replies per prompt, in the order found (greedy first); default all. */
  maxPerPrompt?: number;
}

/**
 * On-policy pairs: the model's own mistakes. Each example is answered greedily and `samples` times at `temperature`;
 * every distinct wrong reply (with `<|end|>` if it ended) becomes a pair whose chosen reply is the answer and `<|end|>`.
 * Prompts the model always answers right give no pair. Deterministic for a seed.
 */
export function onPolicyPairs(
  model: CausalLM,
  tokenizer: ChatTokenizer,
  examples: InstructionExample[],
  options: OnPolicyOptions,
): PreferencePair[] {
  const { samples, temperature, seed, maxNewTokens, maxPerPrompt = Infinity } = options;
  if (!(Number.isInteger(samples) && samples >= 0))
    throw new Error(`samples per prompt must be a non-negative integer, got ${samples}`);
  if (!(maxPerPrompt >= 1)) throw new Error(`maxPerPrompt must be at least 1, got ${maxPerPrompt}`);
  const prompts = examples.map((e) => e.prompt);
  const rng = new Rng(seed);
  const runs = [chatReplies(model, tokenizer, prompts, maxNewTokens)];
  for (let s = 0; s < samples; s++)
    runs.push(chatReplies(model, tokenizer, prompts, maxNewTokens, { temperature, rng }));
  const end = CHAT_TOKENS.end;
  const pairs: PreferencePair[] = [];
  examples.forEach((e, i) => {
    const rejected = new Set<string>();
    for (const replies of runs) {
      const r = replies[i];
      if (judgeReply(r, e.answer) === 2 || rejected.size >= maxPerPrompt) continue;
      rejected.add(r.text + (r.ended ? end : ''));
    }
    for (const text of rejected) pairs.push({ prompt: e.prompt, chosen: e.answer + end, rejected: text });
  });
  return pairs;
}

/** The chosen side of pairs as SFT examples (answer without its `<|end|>`): what an SFT-only control trains on. */
export function chosenExamples(pairs: PreferencePair[]): TaskExample[] {
  const end = CHAT_TOKENS.end;
  return pairs.map((p) => {
    if (!p.chosen.endsWith(end))
      throw new Error(
        `chosen reply ${JSON.stringify(p.chosen)} does not end with ${end}; build pairs with preferencePairs or onPolicyPairs`,
      );
    return { prompt: p.prompt, answer: p.chosen.slice(0, -end.length) };
  });
}

/** Chosen rows then rejected rows as one SFT-style batch (2B, T ≤ blockSize), targets only on the reply tokens. */
export function preferenceBatch(pairs: PreferencePair[], tokenizer: ChatTokenizer, blockSize?: number): TaskBatch {
  const padId = tokenizer.id(CHAT_TOKENS.end);
  // Replies carry their own end tokens, so the batch adds none.
  const rows = [
    ...pairs.map((p) => ({ prompt: p.prompt, answer: p.chosen })),
    ...pairs.map((p) => ({ prompt: p.prompt, answer: p.rejected })),
  ];
  return sftBatch(rows, tokenizer, padId, { endOfTurn: false, blockSize });
}

/** Sequence log-probs of every pair's chosen and rejected reply under a model (computed in chunks, no gradients). */
export function pairLogProbs(
  params: Params,
  config: GPTConfig,
  tokenizer: ChatTokenizer,
  pairs: PreferencePair[],
  chunk = 64,
): { chosen: number[]; rejected: number[] } {
  const chosen: number[] = [];
  const rejected: number[] = [];
  for (let i = 0; i < pairs.length; i += chunk) {
    const part = pairs.slice(i, i + chunk);
    const lp = tf.tidy(() => {
      const batch = preferenceBatch(part, tokenizer, config.blockSize);
      return gptSequenceLogProb(params, config, batch); // (2B)
    });
    const values = Array.from(lp.dataSync());
    lp.dispose();
    chosen.push(...values.slice(0, part.length));
    rejected.push(...values.slice(part.length));
  }
  return { chosen, rejected };
}

/** Implicit rewards on pairs: mean margin β[(πw − refw) − (πl − refl)], the fraction with a positive margin, mean chosen and rejected reward. */
export function rewardStats(
  policy: { chosen: number[]; rejected: number[] },
  ref: { chosen: number[]; rejected: number[] },
  beta: number,
) {
  const n = policy.chosen.length;
  if (n === 0 || ref.chosen.length !== n)
    throw new Error(
      `reward statistics need equally many policy and reference log-probs, got ${n} and ${ref.chosen.length}`,
    );
  let margin = 0;
  let positive = 0;
  let chosen = 0;
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    const c = beta * (policy.chosen[i] - ref.chosen[i]);
    const r = beta * (policy.rejected[i] - ref.rejected[i]);
    chosen += c / n;
    rejected += r / n;
    margin += (c - r) / n;
    if (c > r) positive++;
  }
  return { margin, accuracy: positive / n, chosenReward: chosen, rejectedReward: rejected };
}

/** Options of trainDPO. */
export interface DPORunOptions
  extends Pick<TrainOptions<unknown>, 'steps' | 'lr' | 'seed' | 'onProgress' | 'logEvery' | 'timeLimitMs'> {
  /** The policy, trained in place (start from a copy of the SFT model). */
  params: Params;
  config: GPTConfig;
  tokenizer: ChatTokenizer;
  pairs: PreferencePair[];
  /** The frozen reference's log-probs of the same pairs (pairLogProbs of the SFT model). */
  reference: { chosen: number[]; rejected: number[] };
  beta: number;
  batchSize: number;
  /** Add this weight times the chosen replies' SFT loss (RPO, Pang et al. 2024): keeps DPO from lowering both replies. Default 0. */
  nllWeight?: number;
}

/**
 * The loss of one preference batch (chosen rows, then rejected rows: 2B) given the reference's log-probs ref (2B):
 * DPO's −log σ(margin), plus nllWeight × the chosen rows' mean answer-token cross-entropy → scalar.
 */
export function dpoBatchLoss(
  params: Params,
  config: GPTConfig,
  batch: TaskBatch,
  ref: tf.Tensor1D,
  beta: number,
  nllWeight = 0,
): tf.Scalar {
  return tf.tidy(() => {
    const B = batch.x.shape[0] / 2;
    const logits = gptForward(params, config, batch.x); // (2B, T, V)
    const lp = sequenceLogProb(logits, batch.y); // (2B)
    const loss = dpoLoss(lp.slice(0, B), lp.slice(B, B), ref.slice(0, B), ref.slice(B, B), beta).loss;
    if (nllWeight === 0) return loss;
    const [, T, V] = logits.shape;
    const chosen = crossEntropy(logits.slice([0, 0, 0], [B, T, V]), batch.y.slice([0, 0], [B, T]), {
      ignoreIndex: IGNORE_TARGET,
    });
    return loss.add(chosen.mul(nllWeight)) as tf.Scalar;
  });
}

/** DPO in place on the policy with the course's trainer (AdamW); the reference enters only through its log-probs. */
export async function trainDPO(o: DPORunOptions): Promise<Omit<TrainResult, 'optimizer'>> {
  if (o.pairs.length === 0) throw new Error('DPO needs at least one preference pair');
  if (o.reference.chosen.length !== o.pairs.length)
    throw new Error(
      `reference log-probs for ${o.reference.chosen.length} pairs, but ${o.pairs.length} pairs: compute them with pairLogProbs on the same pairs`,
    );
  type Batch = TaskBatch & { ref: tf.Tensor1D };
  const trainBatch = (rng: Rng): Batch => {
    const picks = Array.from({ length: o.batchSize }, () => rng.int(o.pairs.length));
    const ref = [...picks.map((i) => o.reference.chosen[i]), ...picks.map((i) => o.reference.rejected[i])];
    return {
      ...preferenceBatch(
        picks.map((i) => o.pairs[i]),
        o.tokenizer,
        o.config.blockSize,
      ),
      ref: tf.tensor1d(ref),
    };
  };
  const { optimizer, ...result } = await train<Batch>({
    params: o.params,
    loss: (p, batch) => dpoBatchLoss(p, o.config, batch, batch.ref, o.beta, o.nllWeight ?? 0),
    trainBatch,
    steps: o.steps,
    lr: o.lr,
    seed: o.seed,
    evalIters: 2,
    logEvery: o.logEvery,
    onProgress: o.onProgress,
    timeLimitMs: o.timeLimitMs,
  });
  // One run: the moments are not kept for a resume.
  disposeAdamW(optimizer);
  return result;
}
