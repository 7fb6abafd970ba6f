import { describe, expect, it } from 'vitest';
import {
  Rng,
  analogy,
  cosineSimilarity,
  cosineSimilarityMatrix,
  countVocab,
  disposeWordVectors,
  lookupByOneHot,
  nearestNeighbours,
  negativeSamplingLoss,
  noiseCumulative,
  oneHotRows,
  skipGramPairs,
  skipGramSgdStep,
  tf,
  trainSkipGram,
  wordVector,
  type WordVectors,
} from '@how-llms-work/lib';

// Two topics that never share a sentence: skip-gram must put each topic's words near each other.
function topicCorpus(sentences: number, seed = 1): string[][] {
  const rng = new Rng(seed);
  const topics = [0, 1].map((t) => Array.from({ length: 8 }, (_, i) => `${t === 0 ? 'sea' : 'sky'}${i}`));
  return Array.from({ length: sentences }, () => {
    const words = topics[rng.int(2)];
    return Array.from({ length: 8 }, () => words[rng.int(words.length)]);
  });
}

function fixedVectors(rows: Record<string, number[]>): WordVectors {
  const vocab = Object.keys(rows);
  return {
    vocab,
    counts: vocab.map(() => 1),
    index: new Map(vocab.map((w, i) => [w, i])),
    vectors: tf.tensor2d(Object.values(rows)),
  };
}

describe('one-hot and lookup', () => {
  it('a one-hot row times the table is the table row (gather)', () => {
    const table = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ]); // (V=4, C=3)
    const ids = tf.tensor1d([3, 0, 3, 1], 'int32');
    const viaOneHot = lookupByOneHot(table, ids);
    expect(viaOneHot.arraySync()).toEqual(tf.gather(table, ids).arraySync());
    expect(viaOneHot.arraySync()).toEqual([
      [10, 11, 12],
      [1, 2, 3],
      [10, 11, 12],
      [4, 5, 6],
    ]);
    tf.dispose([table, ids, viaOneHot]);
  });

  it('one-hot rows have a single 1 at the id', () => {
    const rows = oneHotRows(tf.tensor1d([2, 0], 'int32'), 3);
    expect(rows.dtype).toBe('float32');
    expect(rows.arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    rows.dispose();
  });

  it('names an id outside the vocabulary and a float id tensor', () => {
    const table = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => lookupByOneHot(table, tf.tensor1d([1, 3], 'int32'))).toThrow(
      /token id 3 is outside the vocabulary \[0, 3\)/,
    );
    expect(() => oneHotRows(tf.tensor1d([1]), 3)).toThrow(/must be int32, got float32/);
    table.dispose();
  });
});

describe('cosine similarity, neighbours, analogies', () => {
  it('cosine is 1 for parallel, 0 for orthogonal, -1 for opposite vectors, and ignores length', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 6);
    expect(cosineSimilarity([1, 0], [0, 3])).toBeCloseTo(0, 6);
    expect(cosineSimilarity([1, 1], [-2, -2])).toBeCloseTo(-1, 6);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 6);
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/same width, got 2 and 3/);
    expect(() => cosineSimilarity([0, 0], [1, 2])).toThrow(/zero vector/);
  });

  it('the similarity matrix matches pairwise cosines', () => {
    const a = tf.tensor2d([
      [1, 0],
      [1, 1],
    ]);
    const b = tf.tensor2d([
      [0, 2],
      [3, 4],
      [-1, 0],
    ]);
    const m = cosineSimilarityMatrix(a, b).arraySync();
    const rowsA = a.arraySync();
    const rowsB = b.arraySync();
    rowsA.forEach((u, i) => rowsB.forEach((v, j) => expect(m[i][j]).toBeCloseTo(cosineSimilarity(u, v), 5)));
    tf.dispose([a, b]);
  });

  it('nearest neighbours are ranked by cosine, exclude the query, and read vectors back', () => {
    const wv = fixedVectors({ cat: [1, 0.1], dog: [0.9, 0.2], car: [0, 1], bus: [0.1, 1], kitten: [2, 0.1] });
    const near = nearestNeighbours(wv, 'cat', 2);
    expect(near.map((n) => n.word)).toEqual(['kitten', 'dog']);
    expect(near[0].similarity).toBeCloseTo(cosineSimilarity([1, 0.1], [2, 0.1]), 5);
    expect(nearestNeighbours(wv, [0, 1], 1)[0].word).toBe('car');
    expect(wordVector(wv, 'bus')[0]).toBeCloseTo(0.1, 6);
    expect(() => nearestNeighbours(wv, 'Cat')).toThrow(/"Cat" is not in the 5-word vocabulary \(did you mean "cat"/);
    disposeWordVectors(wv);
  });

  it('an analogy follows the offset b − a + c and never answers with a, b or c', () => {
    // king − man + woman lands on queen when gender and royalty are separate directions.
    const wv = fixedVectors({
      man: [1, 0, 0.1],
      woman: [0, 1, 0.1],
      king: [1, 0, 1],
      queen: [0, 1, 1],
      prince: [0.9, 0.1, 0.8],
    });
    const answer = analogy(wv, 'man', 'king', 'woman', 2);
    expect(answer[0].word).toBe('queen');
    expect(answer.map((n) => n.word)).not.toContain('king');
    disposeWordVectors(wv);
  });
});

describe('skip-gram data', () => {
  it('counts a vocabulary, most frequent first, dropping rare words', () => {
    const v = countVocab(
      [
        ['a', 'b', 'a'],
        ['c', 'a', 'b', 'd'],
      ],
      2,
    );
    expect(v.vocab).toEqual(['a', 'b']);
    expect(v.counts).toEqual([3, 2]);
    expect(v.index.get('b')).toBe(1);
    expect(() => countVocab([['a']], 5)).toThrow(/lower minCount/);
  });

  it('the noise distribution is count^0.75, normalised', () => {
    const cdf = noiseCumulative([16, 1]);
    expect(cdf[0]).toBeCloseTo(8 / 9, 6); // 16^0.75 = 8
    expect(cdf[1]).toBeCloseTo(1, 9);
  });

  it('pairs stay within the window and inside sentences', () => {
    const sentences = [
      ['a', 'b', 'c', 'd', 'e'],
      ['f', 'g'],
    ];
    const v = countVocab(sentences, 1);
    const { centers, contexts } = skipGramPairs(sentences, v, new Rng(3), 2, 0);
    expect(centers.length).toBeGreaterThan(0);
    const sentenceOf = (id: number) => (['f', 'g'].includes(v.vocab[id]) ? 1 : 0);
    const position = (id: number) => sentences[sentenceOf(id)].indexOf(v.vocab[id]);
    for (let i = 0; i < centers.length; i++) {
      expect(sentenceOf(centers[i])).toBe(sentenceOf(contexts[i]));
      const d = Math.abs(position(centers[i]) - position(contexts[i]));
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(2);
    }
    // Every neighbour at distance 1 is always inside the window.
    const has = (a: string, b: string) =>
      Array.from(centers).some((c, i) => v.vocab[c] === a && v.vocab[contexts[i]] === b);
    expect(has('c', 'b') && has('c', 'd') && has('f', 'g')).toBe(true);
  });

  it('subsampling discards frequent words more often than rare ones', () => {
    const sentences = Array.from({ length: 200 }, (_, i) => ['the', 'the', 'the', 'the', `w${i % 50}`, 'the', 'the']);
    const v = countVocab(sentences, 1);
    const pairs = (t: number) => skipGramPairs(sentences, v, new Rng(1), 1, t);
    const theShare = (p: { centers: Int32Array }) =>
      Array.from(p.centers).filter((c) => v.vocab[c] === 'the').length / p.centers.length;
    expect(theShare(pairs(1e-3))).toBeLessThan(theShare(pairs(0)) - 0.2);
  });
});

describe('negative-sampling loss', () => {
  it('equals −log σ(u·v) − Σ log σ(−u·n) by hand', () => {
    const u = tf.tensor2d([[1, 2]]);
    const v = tf.tensor2d([[0.5, -0.25]]);
    const n = tf.tensor3d([
      [
        [1, 0],
        [0, -1],
      ],
    ]);
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const want = -Math.log(sig(0)) - Math.log(sig(-1)) - Math.log(sig(2));
    expect(negativeSamplingLoss(u, v, n).dataSync()[0]).toBeCloseTo(want, 5);
    tf.dispose([u, v, n]);
  });

  it('is stable for large scores and averages over the batch', () => {
    const u = tf.tensor2d([
      [100, 0],
      [0, 0],
    ]);
    const v = tf.tensor2d([
      [-100, 0],
      [1, 1],
    ]);
    const n = tf.zeros([2, 1, 2]) as tf.Tensor3D;
    const loss = negativeSamplingLoss(u, v, n).dataSync()[0];
    // Pair 1: −log σ(−10⁴) ≈ 10⁴, plus log 2 for the zero noise score; pair 2: 2·log 2.
    expect(loss).toBeCloseTo((1e4 + Math.log(2) + 2 * Math.log(2)) / 2, 1);
    tf.dispose([u, v, n]);
  });
});

describe('skip-gram SGD step', () => {
  it('moves each touched row by −lr times the autodiff gradient of the loss', () => {
    const [V, C, lr] = [5, 3, 0.1];
    const rng = new Rng(9);
    const U = Float32Array.from({ length: V * C }, () => rng.normal());
    const W = Float32Array.from({ length: V * C }, () => rng.normal());
    const [center, context, noise] = [1, 2, [0, 4]];
    const row = (m: Float32Array, i: number) => Array.from(m.subarray(i * C, (i + 1) * C));
    const u = tf.tensor2d([row(U, center)]);
    const w = tf.tensor2d([row(W, context)]);
    const n = tf.tensor3d([noise.map((k) => row(W, k))]);
    const lossOf = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      negativeSamplingLoss(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor3D);
    const want = negativeSamplingLoss(u, w, n).dataSync()[0];
    const [gu, gw, gn] = tf
      .grads(lossOf)([u, w, n])
      .map((g) => g.arraySync() as number[][] | number[][][]);
    const before = { U: U.slice(), W: W.slice() };
    const loss = skipGramSgdStep(U, W, C, center, context, noise, lr);
    expect(loss).toBeCloseTo(want, 4);
    for (let i = 0; i < C; i++) {
      expect(U[center * C + i]).toBeCloseTo(before.U[center * C + i] - lr * (gu as number[][])[0][i], 5);
      expect(W[context * C + i]).toBeCloseTo(before.W[context * C + i] - lr * (gw as number[][])[0][i], 5);
      noise.forEach((k, j) =>
        expect(W[k * C + i]).toBeCloseTo(before.W[k * C + i] - lr * (gn as number[][][])[0][j][i], 5),
      );
    }
    // Rows nobody looked at do not move.
    expect(row(U, 3)).toEqual(row(before.U, 3));
    expect(row(W, 3)).toEqual(row(before.W, 3));
    tf.dispose([u, w, n]);
  });
});

describe('trainSkipGram', () => {
  it('puts words that share contexts closer than words that do not, and keeps tensors flat', () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const losses: number[] = [];
    const wv = trainSkipGram(topicCorpus(600), {
      dim: 16,
      window: 2,
      minCount: 1,
      subsample: 0,
      epochs: 2,
      logEvery: 2000,
      onProgress: (p) => {
        counts.push(tf.memory().numTensors);
        losses.push(p.loss);
      },
    });
    expect(tf.memory().numTensors).toBe(before + 1); // only the vectors
    expect(new Set(counts).size).toBe(1);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] - 0.5);
    expect(wv.vectors.shape).toEqual([16, 16]);
    const sim = (a: string, b: string) => cosineSimilarity(wordVector(wv, a), wordVector(wv, b));
    let within = 0;
    let across = 0;
    for (let i = 0; i < 8; i++) {
      within += sim(`sea${i}`, `sea${(i + 1) % 8}`) + sim(`sky${i}`, `sky${(i + 1) % 8}`);
      across += sim(`sea${i}`, `sky${i}`) + sim(`sea${i}`, `sky${(i + 1) % 8}`);
    }
    expect(within / 16).toBeGreaterThan(across / 16 + 0.5);
    const near = nearestNeighbours(wv, 'sea0', 7).map((n) => n.word);
    expect(near.every((w) => w.startsWith('sea'))).toBe(true);
    disposeWordVectors(wv);
  });

  it('is repeatable from its seed', () => {
    const opts = { dim: 8, minCount: 1, epochs: 1, seed: 5 };
    const a = trainSkipGram(topicCorpus(50), opts);
    const b = trainSkipGram(topicCorpus(50), opts);
    expect(a.vectors.arraySync()).toEqual(b.vectors.arraySync());
    [a, b].forEach(disposeWordVectors);
  });

  it('names bad options', () => {
    expect(() => trainSkipGram(topicCorpus(5), { dim: 0 })).toThrow(/dim must be a positive integer, got 0/);
    expect(() => trainSkipGram(topicCorpus(5), { lr: -1 })).toThrow(/lr must be positive, got -1/);
  });
});
