/**
 * Scoring a chat model on held-out instructions: greedy replies cut at <|end|>, exact match against the answer,
 * and a judge that ranks two replies (correct beats well-formed beats rambling) for win rates.
 */
import type { CausalLM } from '../sampling/language-model';
import type { Rng } from '../core/random';
import { greedyContinueBatch, sampleContinueBatch } from '../applications/task-eval';
import type { TaskExample } from '../applications/tasks';
import { CHAT_TOKENS, chatPromptText, type ChatTokenizer } from './chat';

/** A model's reply: the text before <|end|>, and whether it ended its turn at all. */
export interface ChatReply {
  text: string;
  ended: boolean;
}

/**
 * Replies to prompts, each cut at the first <|end|> (at most maxNewTokens tokens each): greedy, or sampled at a
 * temperature with a seeded Rng when `sampling` is given.
 */
export function chatReplies(
  model: CausalLM,
  tokenizer: ChatTokenizer,
  prompts: string[],
  maxNewTokens: number,
  sampling?: { temperature: number; rng: Rng },
): ChatReply[] {
  const end = tokenizer.id(CHAT_TOKENS.end);
  const encoded = prompts.map((p) => tokenizer.encode(chatPromptText(p)));
  const generated = sampling
    ? sampleContinueBatch(model, encoded, maxNewTokens, sampling)
    : greedyContinueBatch(model, encoded, maxNewTokens);
  return generated.map((ids) => {
    const cut = ids.indexOf(end);
    return { text: tokenizer.decode(cut < 0 ? ids : ids.slice(0, cut)), ended: cut >= 0 };
  });
}

/** A judge's score of one reply: 2 correct and ended, 1 ended its turn but wrong, 0 never ended (rambling). */
export function judgeReply(reply: ChatReply, answer: string): number {
  if (!reply.ended) return 0;
  return reply.text === answer ? 2 : 1;
}

/** Exact match of held-out instructions: a reply counts when it is the answer and then ends its turn. */
export interface ChatEvaluation {
  accuracy: number;
  correct: number;
  n: number;
  replies: ChatReply[];
  /** Replies that start with the right answer but do not stop there. */
  rightButRambling: number;
}

/** Evaluate greedy replies on examples (maxNewTokens defaults to the longest answer plus a few tokens). */
export function evaluateChat(
  model: CausalLM,
  tokenizer: ChatTokenizer,
  examples: TaskExample[],
  maxNewTokens?: number,
): ChatEvaluation {
  if (examples.length === 0) throw new Error('evaluating on zero examples says nothing; pass at least one');
  const budget = maxNewTokens ?? Math.max(...examples.map((e) => tokenizer.encode(e.answer).length)) + 4;
  const replies = chatReplies(
    model,
    tokenizer,
    examples.map((e) => e.prompt),
    budget,
  );
  let correct = 0;
  let rightButRambling = 0;
  replies.forEach((r, i) => {
    if (judgeReply(r, examples[i].answer) === 2) correct++;
    else if (!r.ended && r.text.startsWith(examples[i].answer)) rightButRambling++;
  });
  return { accuracy: correct / examples.length, correct, n: examples.length, replies, rightButRambling };
}

/** Head-to-head of two models' judge scores on the same prompts: win rate of A counts a tie as half a win. */
export function winRate(
  scoresA: number[],
  scoresB: number[],
): { wins: number; ties: number; losses: number; rate: number } {
  if (scoresA.length !== scoresB.length || scoresA.length === 0) {
    throw new Error(
      `win rate needs two equally long, non-empty score lists; got ${scoresA.length} and ${scoresB.length}`,
    );
  }
  let wins = 0;
  let ties = 0;
  scoresA.forEach((a, i) => (a > scoresB[i] ? wins++ : a === scoresB[i] ? ties++ : 0));
  const losses = scoresA.length - wins - ties;
  return { wins, ties, losses, rate: (wins + ties / 2) / scoresA.length };
}
