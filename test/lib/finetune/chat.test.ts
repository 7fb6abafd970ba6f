import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
const tf = L.tf;

const base = L.CharTokenizer.fromText('abc :rev\n');
const tok = L.ChatTokenizer.extending(base, '0123456789+=');

describe('ChatTokenizer', () => {
  it('keeps every base id and appends characters then special tokens, each special token one id', () => {
    expect(tok.encode('abc')).toEqual(base.encode('abc'));
    expect(tok.vocabSize).toBe(base.vocabSize + 12 + 3);
    const ids = tok.encode('<|user|>ab<|assistant|>12<|end|>');
    expect(ids).toHaveLength(1 + 2 + 1 + 2 + 1);
    expect(ids[0]).toBe(tok.id(L.CHAT_TOKENS.user));
    expect(ids.at(-1)).toBe(tok.id(L.CHAT_TOKENS.end));
    expect(tok.decode(ids)).toBe('<|user|>ab<|assistant|>12<|end|>');
  });

  it('names an unknown character and an unknown token', () => {
    expect(() => tok.encode('Z')).toThrow(/not in this CharTokenizer/);
    expect(() => tok.id('<|system|>')).toThrow(/special tokens are/);
    expect(() => new L.ChatTokenizer(base, ['a'])).toThrow(/already/);
  });
});

describe('SFT loss mask', () => {
  const example = { prompt: 'rev: ab', answer: 'ba' };

  it('targets only the tokens of the reply, its end token included', () => {
    const { ids, isAssistant } = L.sftTokens(example, tok);
    const targets = L.assistantTargets(ids, isAssistant);
    expect(targets).toHaveLength(ids.length - 1);
    const counted = targets.filter((t) => t !== L.IGNORE_TARGET);
    expect(tok.decode(counted)).toBe('ba<|end|>');
    expect(L.sftTokens(example, tok, { endOfTurn: false }).ids.at(-1)).toBe(tok.encode('a')[0]);
  });

  it('changing a prompt token as a target changes no loss; without the mask it does', () => {
    const { ids, isAssistant } = L.sftTokens(example, tok);
    const changed = [...ids];
    changed[3] = tok.encode('c')[0]; // a token of the prompt, as a target of position 2
    expect(changed).not.toEqual(ids);
    const logits = tf.randomNormal([1, ids.length - 1, tok.vocabSize], 0, 1, 'float32', 3);
    const loss = (targets: number[]) =>
      tf.tidy(
        () =>
          L.crossEntropy(logits, tf.tensor2d([targets], undefined, 'int32'), {
            ignoreIndex: L.IGNORE_TARGET,
          }).dataSync()[0],
      );
    expect(loss(L.assistantTargets(changed, isAssistant))).toBe(loss(L.assistantTargets(ids, isAssistant)));
    expect(loss(changed.slice(1))).not.toBeCloseTo(loss(ids.slice(1)), 4);
    logits.dispose();
  });

  it('pads a batch with the pad id and ignored targets, and trains on the prompt only when asked', () => {
    const rows = [example, { prompt: 'rev: abc', answer: 'cba' }];
    const pad = tok.id(L.CHAT_TOKENS.end);
    const before = tf.memory().numTensors;
    const masked = L.sftBatch(rows, tok, pad);
    const open = L.sftBatch(rows, tok, pad, { maskPrompt: false });
    expect(masked.x.shape).toEqual([2, L.sftTokens(rows[1], tok).ids.length - 1]);
    const y = masked.y.arraySync() as number[][];
    expect(y[0].at(-1)).toBe(L.IGNORE_TARGET);
    expect(y[1].filter((t) => t !== L.IGNORE_TARGET)).toHaveLength(4);
    expect((open.y.arraySync() as number[][])[1].filter((t) => t !== L.IGNORE_TARGET)).toHaveLength(masked.x.shape[1]);
    tf.dispose([masked.x, masked.y, open.x, open.y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => L.assistantTargets([1, 2], [true])).toThrow(/one flag per id/);
  });

  it('crops a row longer than the block to its last positions, keeping the reply, as generation crops', () => {
    const long = { prompt: 'rev: abcabcabc', answer: 'cbacbacba' };
    const pad = tok.id(L.CHAT_TOKENS.end);
    const full = L.sftBatch([long], tok, pad);
    const cropped = L.sftBatch([long], tok, pad, { blockSize: 8 });
    expect(cropped.x.shape).toEqual([1, 8]);
    expect(cropped.x.arraySync()).toEqual([(full.x.arraySync() as number[][])[0].slice(-8)]);
    expect(cropped.y.arraySync()).toEqual([(full.y.arraySync() as number[][])[0].slice(-8)]);
    const short = L.sftBatch([long], tok, pad, { blockSize: 1000 });
    expect(short.x.shape).toEqual(full.x.shape);
    tf.dispose([full.x, full.y, cropped.x, cropped.y, short.x, short.y]);
  });

  it('SFT (masked or not) and greedy evaluation never feed a GPT more than its block', async () => {
    const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 6, nLayer: 1, nHead: 2, nEmbd: 8 };
    const examples = [
      { prompt: 'rev: abc abc', answer: 'cba cba' },
      { prompt: 'rev: cab', answer: 'bac' },
    ];
    for (const maskPrompt of [true, false]) {
      const params = L.initGPT(config, 1);
      const run = await L.trainSFT({
        params,
        config,
        tokenizer: tok,
        examples,
        valExamples: examples,
        batchSize: 2,
        steps: 2,
        lr: 1e-3,
        maskPrompt,
        evalEvery: 1,
      });
      expect(run.losses.every((l) => Number.isFinite(l.loss))).toBe(true);
      const result = L.evaluateChat(L.gptLanguageModel(params, config), tok, examples, 10);
      expect(result.n).toBe(2);
      L.disposeNamed(params);
    }
  });
});

describe('instructions and their evaluation', () => {
  it('generates distinct, deterministic, correct instructions of every kind', () => {
    const a = L.instructionExamples(200, 5);
    expect(L.instructionExamples(200, 5)).toEqual(a);
    expect(new Set(a.map((e) => e.prompt)).size).toBe(200);
    expect(new Set(a.map((e) => e.kind))).toEqual(new Set(L.INSTRUCTION_KINDS));
    for (const e of a) {
      if (e.kind === 'add') expect(String(eval(e.prompt.slice(0, -1)))).toBe(e.answer);
      if (e.kind === 'reverse') expect(e.answer.split(' ').reverse().join(' ')).toBe(e.prompt.slice(5));
      if (e.kind === 'count') expect(Number(e.answer)).toBe(e.prompt.split(' ').length - 1);
      if (e.kind === 'speaker') expect(e.prompt.startsWith(`who: ${e.answer}:`)).toBe(true);
      if (e.kind === 'upper') expect(e.answer).toBe(e.prompt.slice(7).toUpperCase());
      expect(e.prompt.length + e.answer.length + 3).toBeLessThanOrEqual(32);
      const wrong = L.corruptAnswer(e, new L.Rng(1));
      expect(wrong).not.toBe(e.answer);
    }
  });

  it('judges replies, counts ties as half a win, and bounds accuracy with a Wilson interval', () => {
    expect(L.judgeReply({ text: '19', ended: true }, '19')).toBe(2);
    expect(L.judgeReply({ text: '18', ended: true }, '19')).toBe(1);
    expect(L.judgeReply({ text: '19 19', ended: false }, '19')).toBe(0);
    expect(L.winRate([2, 1, 0, 2], [1, 1, 2, 2])).toEqual({ wins: 1, ties: 2, losses: 1, rate: 0.5 });
    const half = L.wilsonInterval(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 3);
    expect(half.high).toBeCloseTo(0.7634, 3);
    expect(L.wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(L.wilsonInterval(0, 10).low).toBe(0);
    expect(() => L.wilsonInterval(3, 2)).toThrow(/successes/);
  });

  it('evaluates a model by greedy replies cut at the end token', () => {
    // A "model" that always answers "ab<|end|>": logits put all mass on the next token of that script.
    const script = tok.encode('ab<|end|>');
    const promptLength = tok.encode(L.chatPromptText('rev: ab')).length;
    const model: L.CausalLM = {
      blockSize: 32,
      vocabSize: tok.vocabSize,
      forward: (ids) =>
        tf.tidy(() => {
          const [B, T] = ids.shape;
          const next = script[Math.min(T - promptLength, script.length - 1)];
          return tf.oneHot(tf.fill([B, T], next, 'int32'), tok.vocabSize).toFloat() as L.tf.Tensor3D;
        }),
    };
    const result = L.evaluateChat(model, tok, [
      { prompt: 'rev: ab', answer: 'ab' },
      { prompt: 'rev: ba', answer: 'ba' },
    ]);
    expect(result.replies[0]).toEqual({ text: 'ab', ended: true });
    expect(result.accuracy).toBe(0.5);
    expect(result.withHabit).toBe(0);
  });
});

describe('a habit: demonstrations of mixed style, and a judge that prefers the plain answer', () => {
  it('puts the habit before a share of the answers, deterministically for a seed, leaving the content as it was', () => {
    const examples = L.instructionExamples(400, 3);
    const mixed = L.withHabit(examples, 'Ok, ', 0.5, 9);
    expect(L.withHabit(examples, 'Ok, ', 0.5, 9)).toEqual(mixed);
    expect(L.withHabit(examples, 'Ok, ', 0.5, 10)).not.toEqual(mixed);
    const carrying = mixed.filter((e) => e.answer.startsWith('Ok, ')).length;
    expect(carrying).toBeGreaterThan(150);
    expect(carrying).toBeLessThan(250);
    mixed.forEach((e, i) => {
      expect(e.prompt).toBe(examples[i].prompt);
      expect(e.kind).toBe(examples[i].kind);
      expect(L.replyContent(e.answer, 'Ok, ')).toBe(examples[i].answer);
    });
    expect(L.withHabit(examples, 'Ok, ', 0, 9)).toEqual(examples);
    expect(L.withHabit(examples, 'Ok, ', 1, 9).every((e, i) => e.answer === 'Ok, ' + examples[i].answer)).toBe(true);
    // The input is not changed in place.
    expect(examples.some((e) => e.answer.startsWith('Ok, '))).toBe(false);
    expect(() => L.withHabit(examples, '', 0.5, 9)).toThrow(/non-empty prefix/);
    expect(() => L.withHabit(examples, 'Ok, ', 1.5, 9)).toThrow(/\[0, 1\], got 1.5/);
  });

  it('judges right and plain above right with the habit above wrong above never ended', () => {
    const habit = 'Ok, ';
    const plain = { text: '19', ended: true };
    const habitual = { text: 'Ok, 19', ended: true };
    const wrong = { text: 'Ok, 18', ended: true };
    const rambling = { text: 'Ok, 19 19', ended: false };
    expect([plain, habitual, wrong, rambling].map((r) => L.judgeReply(r, '19', habit))).toEqual([2, 1.5, 1, 0]);
    expect([plain, habitual, wrong, rambling].map((r) => L.isCorrectReply(r, '19', habit))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    // Without a habit the prefix is just a wrong answer, as before.
    expect(L.judgeReply(habitual, '19')).toBe(1);
    expect(L.isCorrectReply(habitual, '19')).toBe(false);
    expect(L.replyContent('Ok, 19', habit)).toBe('19');
    expect(L.replyContent('19', habit)).toBe('19');
    expect(L.replyContent('Ok, 19')).toBe('Ok, 19');
  });

  it('scores exact match on the content and counts the replies that carry the habit', () => {
    // A "model" that always answers "c ab<|end|>": the habit "c " and then "ab".
    const script = tok.encode('c ab<|end|>');
    const promptLength = tok.encode(L.chatPromptText('rev: ab')).length;
    const model: L.CausalLM = {
      blockSize: 32,
      vocabSize: tok.vocabSize,
      forward: (ids) =>
        tf.tidy(() => {
          const [B, T] = ids.shape;
          const next = script[Math.min(T - promptLength, script.length - 1)];
          return tf.oneHot(tf.fill([B, T], next, 'int32'), tok.vocabSize).toFloat() as L.tf.Tensor3D;
        }),
    };
    const examples = [
      { prompt: 'rev: ab', answer: 'ab' },
      { prompt: 'rev: ba', answer: 'ba' },
    ];
    // The default reply budget leaves room for the habit (2 tokens) before the answer.
    const result = L.evaluateChat(model, tok, examples, undefined, 'c ');
    expect(result.replies[0]).toEqual({ text: 'c ab', ended: true });
    expect(result.correct).toBe(1);
    expect(result.withHabit).toBe(2);
    expect(L.evaluateChat(model, tok, examples).correct).toBe(0);
  });
});
