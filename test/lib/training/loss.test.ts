import { describe, expect, it } from 'vitest';
import { crossEntropy, gradientCheck, logSoftmaxStable, perplexity, Rng, tf, withSettings } from '@how-llms-work/lib';

// Reference: −log softmax(row)[target], in float64 on the host.
function referenceCE(rows: number[][], targets: number[]): number {
  let total = 0;
  rows.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - row[targets[i]];
  });
  return total / rows.length;
}

function randomRows(n: number, v: number, rng: Rng, scale = 3): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: v }, () => rng.normal() * scale));
}

describe('crossEntropy', () => {
  it('equals −log p(target) averaged over positions, for (B, T, V) logits', () => {
    const rng = new Rng(1);
    const rows = randomRows(6, 5, rng);
    const targets = [0, 4, 2, 2, 1, 3];
    const loss = tf.tidy(
      () => crossEntropy(tf.tensor3d(rows.flat(), [2, 3, 5]), tf.tensor2d(targets, [2, 3], 'int32')).dataSync()[0],
    );
    expect(loss).toBeCloseTo(referenceCE(rows, targets), 5);
  });

  it('is log(V) for uniform logits, the loss of a model that knows nothing', () => {
    const V = 65;
    const loss = tf.tidy(() => crossEntropy(tf.zeros([4, V]), tf.tensor1d([0, 7, 64, 3], 'int32')).dataSync()[0]);
    expect(loss).toBeCloseTo(Math.log(V), 5);
  });

  it('stays finite for huge logits where a naive softmax overflows', () => {
    const logits = tf.tensor2d([
      [1000, 0, -1000],
      [0, 2000, 10],
    ]);
    const targets = tf.tensor1d([1, 1], 'int32');
    const loss = crossEntropy(logits, targets).dataSync()[0];
    expect(loss).toBeCloseTo((1000 + 0) / 2, 3);
    const naive = tf.tidy(() => tf.exp(logits).div(tf.exp(logits).sum(-1, true)).log().dataSync());
    expect(Array.from(naive).some((v) => !Number.isFinite(v))).toBe(true);
    tf.dispose([logits, targets]);
  });

  it('leaves ignored targets and masked positions out of the mean', () => {
    const rng = new Rng(2);
    const rows = randomRows(4, 3, rng);
    const ignored = tf.tidy(
      () => crossEntropy(tf.tensor2d(rows), tf.tensor1d([1, -1, 2, -1], 'int32'), { ignoreIndex: -1 }).dataSync()[0],
    );
    expect(ignored).toBeCloseTo(referenceCE([rows[0], rows[2]], [1, 2]), 5);
    const masked = tf.tidy(
      () =>
        crossEntropy(tf.tensor2d(rows), tf.tensor1d([1, 0, 2, 0], 'int32'), {
          mask: tf.tensor1d([1, 0, 1, 0]),
        }).dataSync()[0],
    );
    expect(masked).toBeCloseTo(ignored, 6);
  });

  it('has the gradient (softmax − onehot) / N, confirmed by finite differences', () => {
    const rng = new Rng(3);
    const x = tf.tensor2d(randomRows(4, 6, rng, 1));
    const targets = tf.tensor1d([5, 0, 3, 3], 'int32');
    const result = gradientCheck((l) => crossEntropy(l, targets), x, { samples: 12, seed: 4 });
    expect(result.maxRelativeError).toBeLessThan(2e-2);
    const grad = tf.tidy(() => tf.grad((l: tf.Tensor) => crossEntropy(l, targets))(x));
    const expected = tf.tidy(() => tf.softmax(x).sub(tf.oneHot(targets, 6)).div(4));
    expect(tf.tidy(() => grad.sub(expected).abs().max().dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([x, targets, grad, expected]);
  });

  it('backpropagates when the targets were made inside the loss function (and are gone by then)', () => {
    const logits = tf.variable(
      tf.tensor2d([
        [1, 2, 3],
        [0, 0, 1],
      ]),
    );
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => crossEntropy(logits, tf.tensor1d([2, 0], 'int32')), [logits]);
    const expected = tf.tidy(() =>
      tf
        .softmax(logits)
        .sub(tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3).toFloat())
        .div(2),
    );
    expect(Array.from(grads[logits.name].dataSync())).toEqual(
      Array.from(expected.dataSync()).map((v) => expect.closeTo(v, 6)),
    );
    tf.dispose([value, grads[logits.name], expected]);
    expect(tf.memory().numTensors).toBe(before);
    logits.dispose();
  });

  it('gradient check flags a wrong gradient', () => {
    const x = tf.tensor1d([0.3, -1.2, 2.0]);
    // A custom op whose declared gradient is off by a factor 2: the check must notice.
    const wrong = tf.customGrad(((v: tf.Tensor, save: tf.GradSaveFunc) => {
      save([v]);
      return { value: v.square().sum() as tf.Scalar, gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => s.mul(4).mul(dy) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const result = gradientCheck((v) => wrong(v) as tf.Scalar, x, { samples: 3 });
    expect(result.maxRelativeError).toBeGreaterThan(0.2);
    x.dispose();
  });

  it('names the bad input in its errors', () => {
    const logits = tf.zeros([2, 3]);
    expect(() => crossEntropy(logits, tf.tensor1d([0, 1]))).toThrow(/int32/);
    expect(() => crossEntropy(logits, tf.tensor1d([0, 1, 2], 'int32'))).toThrow(/shape \[3\].*\[2\]/);
    logits.dispose();
  });

  for (const fused of [true, false]) {
    it(`rejects a target outside the vocabulary on every path, naming the id and the vocabulary size (fused kernels ${fused ? 'on' : 'off'})`, () => {
      withSettings({ fused }, () => {
        const logits = tf.zeros([2, 3, 7]);
        const bad = tf.tensor2d(
          [
            [0, 7, 1],
            [2, 3, 4],
          ],
          [2, 3],
          'int32',
        );
        const negative = tf.tensor2d(
          [
            [0, 1, 1],
            [2, -2, 4],
          ],
          [2, 3],
          'int32',
        );
        const mask = tf.ones([2, 3]);
        const named = /crossEntropy: target 7 at position 1 is not a token id in \[0, 6\] \(vocabulary size 7\)/;
        for (const options of [{}, { mask }, { ignoreIndex: -1 }, { ignoreIndex: -1, mask }]) {
          expect(() => tf.tidy(() => crossEntropy(logits, bad, options)), JSON.stringify(Object.keys(options))).toThrow(
            named,
          );
        }
        expect(() => tf.tidy(() => crossEntropy(logits, negative))).toThrow(
          /target -2 at position 4 .*vocabulary size 7/,
        );
        expect(() => tf.tidy(() => crossEntropy(logits, negative, { ignoreIndex: -1 }))).toThrow(
          /target -2 at position 4 .*vocabulary size 7\) nor the ignoreIndex -1/,
        );
        // The ignoreIndex itself is not an error: it marks a position that does not count.
        const padded = tf.tensor2d(
          [
            [0, -1, 1],
            [2, 3, -1],
          ],
          [2, 3],
          'int32',
        );
        expect(tf.tidy(() => crossEntropy(logits, padded, { ignoreIndex: -1 }).dataSync()[0])).toBeCloseTo(
          Math.log(7),
          5,
        );
        tf.dispose([logits, bad, negative, mask, padded]);
      });
    });
  }

  it('logSoftmaxStable rows exponentiate to 1', () => {
    const out = tf.tidy(() =>
      logSoftmaxStable(
        tf.tensor2d([
          [500, 1, -3],
          [0, 0, 0],
        ]),
      )
        .exp()
        .sum(-1)
        .dataSync(),
    );
    expect(out[0]).toBeCloseTo(1, 6);
    expect(out[1]).toBeCloseTo(1, 6);
  });
});

describe('perplexity', () => {
  it('is exp(loss): uniform over V choices has perplexity V', () => {
    expect(perplexity(Math.log(65))).toBeCloseTo(65, 8);
    expect(perplexity(0)).toBe(1);
    expect(() => perplexity(-1)).toThrow(/got -1/);
  });
});
