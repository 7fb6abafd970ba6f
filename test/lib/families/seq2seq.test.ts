// The encoder–decoder trained: the toy translation task, teacher-forcing batches, the seq2seq loss against a
// float64 cross-entropy, greedy decoding against recomputing the whole forward pass, training, no leaks.
import { describe, expect, it } from 'vitest';
import {
  BOS_ID,
  decoderOnlyBatch,
  disposeAdamW,
  disposeNamed,
  encoderDecoderForward,
  EOS_ID,
  greedyTranslate,
  initEncoderDecoder,
  PAD_ID,
  Rng,
  sampleSeq2SeqBatch,
  seq2seqBatch,
  seq2seqLoss,
  Seq2SeqVocab,
  tf,
  toyTranslationSplits,
  toyVocabularies,
  train,
  translateToy,
  type EncoderDecoderConfig,
} from '@how-llms-work/lib';

describe('the toy translation task', () => {
  it('translates by its three rules: dictionary, adjective after noun, verb last', () => {
    expect(translateToy('the red cat sees a dog')).toBe('ka miru sola ne kaval vetan');
    expect(translateToy('a king fears the old wolf')).toBe('ne rekon ka lupo vetu timir');
    expect(() => translateToy('the cat sees')).toThrow(/expected a determiner/);
    expect(() => translateToy('the purple cat sees a dog')).toThrow(/expected a noun at word 1/);
  });

  it('splits into distinct, held-out, seeded sets', () => {
    const a = toyTranslationSplits({ train: 300, test: 50 }, 3);
    const b = toyTranslationSplits({ train: 300, test: 50 }, 3);
    expect(a).toEqual(b);
    const trainSources = new Set(a.train.map((p) => p.source));
    expect(trainSources.size).toBe(300);
    expect(a.test.some((p) => trainSources.has(p.source))).toBe(false);
    expect(a.test.every((p) => p.target === translateToy(p.source))).toBe(true);
    const v = toyVocabularies();
    expect(v.source).toHaveLength(28);
    expect(new Set(v.target).size).toBe(28);
  });
});

describe('seq2seq batches and loss', () => {
  const config: EncoderDecoderConfig = {
    srcVocabSize: 9,
    tgtVocabSize: 8,
    blockSize: 8,
    nLayer: 1,
    nHead: 2,
    nEmbd: 16,
  };

  it('pads sources, shifts targets right behind <bos> and ends them with <eos>', () => {
    const batch = seq2seqBatch([
      { src: [5, 6, 7], tgt: [3, 4] },
      { src: [8], tgt: [5, 6, 7] },
    ]);
    expect(batch.src.arraySync()).toEqual([
      [5, 6, 7],
      [8, PAD_ID, PAD_ID],
    ]);
    expect(batch.srcKeep.arraySync()).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    expect(batch.tgtIn.arraySync()).toEqual([
      [BOS_ID, 3, 4, PAD_ID],
      [BOS_ID, 5, 6, 7],
    ]);
    expect(batch.tgtOut.arraySync()).toEqual([
      [3, 4, EOS_ID, -1],
      [5, 6, 7, EOS_ID],
    ]);
    tf.dispose(Object.values(batch));
  });

  it('lays out the decoder-only version as source <bos> target <eos>, loss only on the target side', () => {
    const batch = decoderOnlyBatch([
      { src: [5, 6], tgt: [3] },
      { src: [8], tgt: [4, 7] },
    ]);
    expect(batch.x.arraySync()).toEqual([
      [5, 6, BOS_ID, 3],
      [8, BOS_ID, 4, 7],
    ]);
    expect(batch.y.arraySync()).toEqual([
      [-1, -1, 3, EOS_ID],
      [-1, 4, 7, EOS_ID],
    ]);
    tf.dispose([batch.x, batch.y]);
  });

  it('has a loss equal to the mean of −log p(next target token) over real positions, in float64', () => {
    const params = initEncoderDecoder(config, 1);
    const batch = seq2seqBatch([
      { src: [5, 6, 7], tgt: [3, 4] },
      { src: [8], tgt: [5, 6, 7] },
    ]);
    const loss = seq2seqLoss(config)(params, batch, { training: false, step: 0, seed: 0 });
    const logits = encoderDecoderForward(
      params,
      config,
      batch.src,
      batch.tgtIn,
      batch.srcKeep,
    ).arraySync() as number[][][];
    let sum = 0;
    let count = 0;
    (batch.tgtOut.arraySync() as number[][]).forEach((row, b) =>
      row.forEach((y, t) => {
        if (y < 0) return;
        const z = logits[b][t];
        const m = Math.max(...z);
        sum += m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[y];
        count++;
      }),
    );
    expect(count).toBe(7);
    expect(loss.dataSync()[0]).toBeCloseTo(sum / count, 5);
    tf.dispose([loss, ...Object.values(batch)]);
    disposeNamed(params);
  });

  it('decodes greedily exactly as a full forward pass per step would, and leaks nothing', () => {
    const params = initEncoderDecoder(config, 2);
    const sources = [
      [5, 6, 7],
      [8, 3],
    ];
    greedyTranslate(params, config, sources, 5);
    const before = tf.memory().numTensors;
    const got = greedyTranslate(params, config, sources, 5);
    expect(tf.memory().numTensors).toBe(before);
    sources.forEach((src, b) => {
      const row = [BOS_ID];
      const want: number[] = [];
      for (let t = 0; t < 5; t++) {
        const next = tf.tidy(() => {
          const logits = encoderDecoderForward(
            params,
            config,
            tf.tensor2d([src], undefined, 'int32'),
            tf.tensor2d([row], undefined, 'int32'),
          );
          return logits.slice([0, t, 0], [1, 1, -1]).argMax(-1).dataSync()[0];
        });
        if (next === EOS_ID) break;
        want.push(next);
        row.push(next);
      }
      expect(got[b]).toEqual(want);
    });
    disposeNamed(params);
  });
});

describe('training the encoder–decoder', () => {
  it('learns toy translation pairs: the loss falls', async () => {
    const { train: pairs } = toyTranslationSplits({ train: 8, test: 1 }, 1); // few enough pairs to learn in a few steps
    const v = toyVocabularies();
    const src = new Seq2SeqVocab(v.source);
    const tgt = new Seq2SeqVocab(v.target);
    expect(tgt.decode([...tgt.encode('ka miru vetan'), EOS_ID, 5])).toBe('ka miru vetan');
    const examples = pairs.map((p) => ({ src: src.encode(p.source), tgt: tgt.encode(p.target) }));
    const config: EncoderDecoderConfig = {
      srcVocabSize: src.vocabSize,
      tgtVocabSize: tgt.vocabSize,
      blockSize: 10,
      nLayer: 1,
      nHead: 2,
      nEmbd: 16,
    };
    const before = tf.memory().numTensors;
    const params = initEncoderDecoder(config, 3);
    const result = await train({
      params,
      loss: seq2seqLoss(config),
      trainBatch: (rng: Rng) => sampleSeq2SeqBatch(examples, 8, rng),
      steps: 30,
      lr: 1e-2,
      evalEvery: 29,
      evalIters: 2,
    });
    expect(result.evals.at(-1)!.trainLoss).toBeLessThan(result.evals[0].trainLoss * 0.6);
    disposeAdamW(result.optimizer);
    disposeNamed(params);
    expect(tf.memory().numTensors).toBe(before);
  });
});
