import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
const tf = L.tf;

const tok = L.ChatTokenizer.extending(L.CharTokenizer.fromText('ab +=:'), '0123456789');

// A model that after <|assistant|> writes "a" and then <|end|>, whatever came before: its reply to every prompt is "a".
function alwaysA(sharpness: number): L.CausalLM {
  const V = tok.vocabSize;
  const after = new Map([
    [tok.id(L.CHAT_TOKENS.assistant), tok.id('a')],
    [tok.id('a'), tok.id(L.CHAT_TOKENS.end)],
  ]);
  const table = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: V }, (_, i) => after.get(i) ?? tok.id('b')),
          'int32',
        ),
        V,
      )
      .mul(sharpness),
  ); // (V, V): row i holds the logits after token i
  return { blockSize: 16, vocabSize: V, forward: (ids) => tf.gather(table, ids) as unknown as L.tf.Tensor3D };
}

describe('sampled batch continuation', () => {
  const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };
  const params = L.initGPT(config, 4);
  const model = L.gptLanguageModel(params, config);
  const prompts = [tok.encode('a+b='), tok.encode('ab'), tok.encode('1+2=')];

  it('is deterministic for a seed, differs across seeds, and leaks no tensors', () => {
    const draw = (seed: number) => L.sampleContinueBatch(model, prompts, 6, { temperature: 1.5, rng: new L.Rng(seed) });
    draw(1);
    const before = tf.memory().numTensors;
    const first = draw(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(first).toHaveLength(3);
    first.forEach((ids) => expect(ids).toHaveLength(6));
    expect(draw(1)).toEqual(first);
    expect(draw(2)).not.toEqual(first);
  });

  it('at a very low temperature picks what greedy decoding picks, and refuses temperature 0', () => {
    const greedy = L.greedyContinueBatch(model, prompts, 5);
    expect(L.sampleContinueBatch(model, prompts, 5, { temperature: 1e-4, rng: new L.Rng(3) })).toEqual(greedy);
    expect(() => L.sampleContinueBatch(model, prompts, 5, { temperature: 0, rng: new L.Rng(3) })).toThrow(
      /greedyContinueBatch/,
    );
  });
});

describe('on-policy preference pairs', () => {
  const examples: L.InstructionExample[] = [
    { kind: 'add', prompt: '1+2=', answer: '3' },
    { kind: 'upper', prompt: 'ab', answer: 'a' },
  ];

  it('pairs each wrong reply of the model (rejected) with the answer (chosen); a prompt it gets right gives none', () => {
    const pairs = L.onPolicyPairs(alwaysA(60), tok, examples, { samples: 3, temperature: 1, seed: 1, maxNewTokens: 4 });
    // The model is certain, so its three samples repeat its greedy reply and add no distinct pair.
    expect(pairs).toEqual([{ prompt: '1+2=', chosen: '3<|end|>', rejected: 'a<|end|>' }]);
    expect(L.chosenExamples(pairs)).toEqual([{ prompt: '1+2=', answer: '3' }]);
  });

  it('collects distinct sampled mistakes, deterministically for a seed, at most maxPerPrompt a prompt, leaking nothing', () => {
    const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };
    const params = L.initGPT(config, 2);
    const model = L.gptLanguageModel(params, config);
    const options = { samples: 4, temperature: 1, seed: 5, maxNewTokens: 4 };
    L.onPolicyPairs(model, tok, examples, options);
    const before = tf.memory().numTensors;
    const pairs = L.onPolicyPairs(model, tok, examples, options);
    expect(tf.memory().numTensors).toBe(before);
    expect(L.onPolicyPairs(model, tok, examples, options)).toEqual(pairs);
    for (const e of examples) {
      const mine = pairs.filter((p) => p.prompt === e.prompt);
      // A random model is wrong every time; five replies of up to four tokens give several distinct ones.
      expect(mine.length).toBeGreaterThan(1);
      expect(new Set(mine.map((p) => p.rejected)).size).toBe(mine.length);
      mine.forEach((p) => {
        expect(p.chosen).toBe(e.answer + L.CHAT_TOKENS.end);
        expect(p.rejected).not.toBe(p.chosen);
      });
    }
    const capped = L.onPolicyPairs(model, tok, examples, { ...options, maxPerPrompt: 1 });
    expect(capped.map((p) => p.prompt)).toEqual(examples.map((e) => e.prompt));
    // The first pair of each prompt is its greedy reply's.
    const greedy = L.chatReplies(
      model,
      tok,
      examples.map((e) => e.prompt),
      4,
    );
    capped.forEach((p, i) => expect(p.rejected).toBe(greedy[i].text + (greedy[i].ended ? L.CHAT_TOKENS.end : '')));
    L.disposeNamed(params);
  });

  it('names bad options and a chosen reply without its end token', () => {
    const model = alwaysA(60);
    expect(() =>
      L.onPolicyPairs(model, tok, examples, { samples: -1, temperature: 1, seed: 1, maxNewTokens: 4 }),
    ).toThrow(/samples/);
    expect(() =>
      L.onPolicyPairs(model, tok, examples, { samples: 1, temperature: 1, seed: 1, maxNewTokens: 4, maxPerPrompt: 0 }),
    ).toThrow(/maxPerPrompt/);
    expect(() => L.chosenExamples([{ prompt: 'p', chosen: '3', rejected: '4' }])).toThrow(/does not end/);
  });
});
