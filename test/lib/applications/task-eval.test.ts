import { describe, expect, it } from 'vitest';
import {
  CharTokenizer,
  evaluateTask,
  fineTuneOnTask,
  gptLanguageModel,
  greedyContinueBatch,
  initGPT,
  reversalExamples,
  Rng,
  taskBatch,
  taskLine,
  tf,
  type CausalLM,
} from '@how-llms-work/lib';

// A bigram model whose argmax after token i is (i + 1) mod V: greedy output is predictable by hand.
function countingModel(V: number): CausalLM {
  const table = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: V }, (_, i) => (i + 1) % V),
          'int32',
        ),
        V,
      )
      .toFloat()
      .mul(5),
  );
  return { blockSize: 8, vocabSize: V, forward: (ids) => tf.gather(table, ids) as unknown as tf.Tensor3D };
}

describe('batched greedy continuation', () => {
  it('continues prompts of different lengths exactly as a one-at-a-time greedy loop would', () => {
    const model = countingModel(5);
    expect(greedyContinueBatch(model, [[0], [3, 4], [2], [1, 1, 1]], 3)).toEqual([
      [1, 2, 3],
      [0, 1, 2],
      [3, 4, 0],
      [2, 3, 4],
    ]);
  });

  it('keeps only the last blockSize tokens and leaks no tensors', () => {
    const model = countingModel(5);
    greedyContinueBatch(model, [Array(12).fill(2)], 2);
    const before = tf.memory().numTensors;
    expect(greedyContinueBatch(model, [Array(12).fill(2)], 4)).toEqual([[3, 4, 0, 1]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('task evaluation and fine-tuning', () => {
  it('scores exact match of greedy completions', () => {
    const codec = new CharTokenizer('abcd\n');
    // a→b→c→d→\n→a: after "a" the model writes "bcd\n"
    const model = countingModel(5);
    const r = evaluateTask(model, codec, [
      { prompt: 'a', answer: 'bcd' },
      { prompt: 'b', answer: 'cd' },
      { prompt: 'c', answer: 'a' },
    ]);
    // '\n' sorts first in the vocabulary, so ids are \n=0, a=1, … and a → b → c → d → \n.
    expect(r.completions).toEqual(['bcd', 'cd', 'd']);
    expect(r.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('task batches take the loss only on the answer and the newline', () => {
    const codec = CharTokenizer.fromText('rev ab:\n');
    const { x, y } = taskBatch([{ prompt: 'rev ab:', answer: 'ba' }], codec, 0);
    const line = taskLine({ prompt: 'rev ab:', answer: 'ba' }); // 10 characters: 9 predictions
    expect(x.shape).toEqual([1, line.length - 1]);
    const targets = Array.from(y.dataSync());
    expect(targets.slice(0, 6)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(targets.slice(6)).toEqual(codec.encode('ba\n'));
  });

  it('fine-tuning a tiny GPT raises exact-match accuracy on single-letter reversal', async () => {
    const rng = new Rng(4);
    const examples = reversalExamples(64, rng, { length: 1, alphabet: 'abcd' });
    const codec = CharTokenizer.fromText(examples.map(taskLine).join(''));
    const config = { vocabSize: codec.vocabSize, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 };
    const params = initGPT(config, 3);
    const model = gptLanguageModel(params, config);
    const test = [...'abcd'].map((c) => ({ prompt: `rev ${c}:`, answer: c }));
    const before = evaluateTask(model, codec, test).accuracy;
    const tensors = tf.memory().numTensors;
    await fineTuneOnTask({
      params,
      config,
      codec,
      examples,
      batchSize: 16,
      padId: codec.encode('\n')[0],
      steps: 60,
      lr: 1e-2,
      seed: 1,
    });
    const after = evaluateTask(model, codec, test).accuracy;
    expect(before).toBeLessThan(0.5);
    expect(after).toBe(1);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
