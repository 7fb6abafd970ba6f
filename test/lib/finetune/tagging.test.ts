import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
const tf = L.tf;

const w = (word: string, tag: string) => ({ word, tag });

describe('part-of-speech tags for a character model', () => {
  it('folds Brown tags into coarse classes', () => {
    const cases: [string, L.CoarseTag][] = [
      ['nns', 'noun'],
      ['np$', 'noun'],
      ['vbd-hl', 'verb'],
      ['do*', 'verb'],
      ['md', 'verb'],
      ['jj-tl', 'adj'],
      ['ql', 'adv'],
      ['ppss+md', 'pronoun'],
      ['at', 'det'],
      ['in', 'prep'],
      ['cs', 'conj'],
      ['cd', 'num'],
      ['.', 'punct'],
      ["''", 'punct'],
      ['to', 'other'],
      ['fw-nn', 'other'],
    ];
    for (const [tag, want] of cases) expect(L.coarseTag(tag), tag).toBe(want);
  });

  it('scores the commonest-class and per-word lookup baselines on the test words', () => {
    const train = [[w('the', 'at'), w('run', 'vb'), w('run', 'nn'), w('run', 'vb'), w('dog', 'nn'), w('cat', 'nn')]];
    const test = [[w('The', 'at'), w('run', 'nn'), w('fox', 'nn'), w('fast', 'rb')]];
    // commonest in training: noun (3 of 6); lookup: the → det (right), run → verb (wrong), fox unseen → noun (right).
    expect(L.tagBaselines(train, test)).toEqual({
      commonest: L.COARSE_TAGS.indexOf('noun'),
      commonestRight: 2,
      lookupRight: 2,
      total: 4,
    });
  });

  const tok = L.CharTokenizer.fromText('the cat sat.\n');
  const sentences = [
    [w('The', 'at'), w('cat', 'nn'), w('sat', 'vbd'), w('.', '.')],
    [w('%%', 'nil'), w('the', 'at'), w('cat', 'nn')],
  ];

  it('puts each word tag on its last character, drops unknown characters and empty words', () => {
    const text = L.taggedIds(sentences, tok);
    // 'T' is not in the vocabulary: "he cat sat .\nthe cat\n"
    expect(tok.decode(text.ids)).toBe('he cat sat .\nthe cat\n');
    const tagged = text.tags
      .map((t, i) => (t >= 0 ? `${tok.decode([text.ids[i]])}:${L.COARSE_TAGS[t]}` : ''))
      .filter(Boolean);
    expect(tagged).toEqual(['e:det', 't:noun', 't:verb', '.:punct', 'e:det', 't:noun']);
    expect(() => L.taggedIds(sentences, L.CharTokenizer.fromText('thecat'))).toThrow(/no " "/);
  });

  it('samples aligned windows, tags every position, scores each word once, and leaks no tensors', async () => {
    const text = L.taggedIds(
      Array.from({ length: 30 }, () => sentences[0].slice(1)),
      tok,
    );
    const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 };
    const params = L.initGPT(config, 1);
    L.addClassifierHead(params, config.nEmbd, L.COARSE_TAGS.length, 2);
    const batch = L.sampleTaggedWindows(text, 4, 8, new L.Rng(3));
    const x = batch.x.arraySync();
    const y = batch.y.arraySync();
    x.forEach((row, b) => {
      const start = text.ids.findIndex((_, s) =>
        row.every((id, t) => text.ids[s + t] === id && text.tags[s + t] === y[b][t]),
      );
      expect(start).toBeGreaterThanOrEqual(0);
    });
    const logits = L.tokenTagLogits(params, config, batch.x);
    expect(logits.shape).toEqual([4, 8, L.COARSE_TAGS.length]);
    tf.dispose([batch.x, batch.y, logits]);
    const before = tf.memory().numTensors;
    const start = L.tagAccuracy(params, config, text, 8);
    expect(tf.memory().numTensors).toBe(before);
    const windows = Math.floor(text.ids.length / 8);
    expect(start.total).toBe(text.tags.slice(0, windows * 8).filter((t) => t >= 0).length);
    const run = await L.train({
      params,
      loss: (p, b: { x: L.tf.Tensor2D; y: L.tf.Tensor2D }) =>
        L.crossEntropy(L.tokenTagLogits(p, config, b.x), b.y, { ignoreIndex: L.IGNORE_TARGET }),
      trainBatch: (rng) => L.sampleTaggedWindows(text, 8, 8, rng),
      steps: 40,
      lr: 1e-2,
      seed: 4,
    });
    L.disposeAdamW(run.optimizer);
    const after = L.tagAccuracy(params, config, text, 8);
    expect(after.correct / after.total).toBeGreaterThan(0.9);
    L.disposeNamed(params);
  });
});
