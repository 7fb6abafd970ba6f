/**
 * Scoring a chat model on held-out instructions: greedy replies cut at <|end|>, exact match against the answer,
 * and a judge that ranks two replies (correct beats well-formed beats rambling) for win rates. An optional habit
 * (a prefix such as "Ok, " that some annotators put before every answer) is taken off before exact match, and the
 * judge ranks a right answer without it above one with it.
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

/** A reply's text with the habit's prefix taken off (unchanged when it lacks the prefix or no habit is given). */
export function replyContent(text: string, habit?: string): string {
  return habit && text.startsWith(habit) ? text.slice(habit.length) : text;
}

/** Exact match of one reply: it ended its turn and its content (text without the habit's prefix) is the answer. */
export function isCorrectReply(reply: ChatReply, answer: string, habit?: string): boolean {
  return reply.ended && replyContent(reply.text, habit) === answer;
}

/**
 * A judge's score of one reply: 2 correct and ended (and plain), 1.5 correct but carrying the habit (only when a
 * habit is given), 1 ended its turn but wrong, 0 never ended (rambling).
 */
export function judgeReply(reply: ChatReply, answer: string, habit?: string): number {
  if (!reply.ended) return 0;
  if (reply.text === answer) return 2;
  return isCorrectReply(reply, answer, habit) ? 1.5 : 1;
}

/** Exact match of held-out instructions: a reply counts when it is the answer (habit aside) and then ends its turn. */
export interface ChatEvaluation {
  accuracy: number;
  correct: number;
  n: number;
  replies: ChatReply[];
  /** Replies that start with the right answer (habit aside) but do not stop there. */
  rightButRambling: number;
  /** Replies that start with the habit's prefix (0 when no habit is given). */
  withHabit: number;
}

/**
 * Evaluate greedy replies on examples (maxNewTokens defaults to the longest answer, plus the habit, plus a few
 * tokens); with a habit, exact match takes its prefix off first.
 */
export function evaluateChat(
  model: CausalLM,
  tokenizer: ChatTokenizer,
  examples: TaskExample[],
  maxNewTokens?: number,
  habit?: string,
): ChatEvaluation {
  if (examples.length === 0) throw new Error('evaluating on zero examples says nothing; pass at least one');
  const habitTokens = habit ? tokenizer.encode(habit).length : 0;
  const budget = maxNewTokens ?? Math.max(...examples.map((e) => tokenizer.encode(e.answer).length)) + habitTokens + 4;
  const replies = chatReplies(
    model,
    tokenizer,
    examples.map((e) => e.prompt),
    budget,
  );
  let correct = 0;
  let rightButRambling = 0;
  let withHabit = 0;
  replies.forEach((r, i) => {
    if (habit && r.text.startsWith(habit)) withHabit++;
    if (isCorrectReply(r, examples[i].answer, habit)) correct++;
    else if (!r.ended && replyContent(r.text, habit).startsWith(examples[i].answer)) rightButRambling++;
  });
  return { accuracy: correct / examples.length, correct, n: examples.length, replies, rightButRambling, withHabit };
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
