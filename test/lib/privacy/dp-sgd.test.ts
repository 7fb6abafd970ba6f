import { describe, expect, it } from 'vitest';
import { disposeNamed, dpSgdGradient, Rng, sgdApply, tf, type Params } from '@how-llms-work/lib';

// A linear model with squared loss: example i's gradient is 2 (w·x_i − y_i) x_i, easy to check by hand.
function setup(P = 3) {
  const params: Params = { w: tf.variable(tf.zeros([P]), true, undefined) };
  const xs = [
    [1, 0, 0],
    [0, 2, 0],
    [0, 0, 30],
  ].map((r) => r.slice(0, P));
  const ys = [1, 1, 1];
  const loss = (i: number) =>
    tf.tidy(() => tf.square(tf.sub(tf.sum(tf.mul(params.w, tf.tensor1d(xs[i]))), ys[i])) as tf.Scalar);
  return { params, loss };
}

describe('DP-SGD gradient', () => {
  it('with a huge clip norm and no noise it is the ordinary mean gradient', () => {
    const { params, loss } = setup();
    const { grads, norms, clippedFraction } = dpSgdGradient(params, 3, loss, {
      clipNorm: 1e6,
      noiseMultiplier: 0,
      rng: new Rng(1),
    });
    // per-example gradients at w = 0: −2 y_i x_i = (−2,0,0), (0,−4,0), (0,0,−60)
    expect(norms.map((n) => Math.round(n))).toEqual([2, 4, 60]);
    expect(clippedFraction).toBe(0);
    const g = grads.w.dataSync();
    expect(g[0]).toBeCloseTo(-2 / 3, 5);
    expect(g[1]).toBeCloseTo(-4 / 3, 5);
    expect(g[2]).toBeCloseTo(-20, 4);
    disposeNamed(grads);
  });

  it('clipping bounds the outlier: each example contributes at most C / B', () => {
    const { params, loss } = setup();
    const { grads, clippedFraction } = dpSgdGradient(params, 3, loss, {
      clipNorm: 1,
      noiseMultiplier: 0,
      rng: new Rng(1),
    });
    expect(clippedFraction).toBe(1);
    const g = Array.from(grads.w.dataSync());
    g.forEach((v) => expect(v).toBeCloseTo(-1 / 3, 5));
    disposeNamed(grads);
  });

  it('adds Gaussian noise of standard deviation σC / B to the mean', () => {
    const P = 4000;
    const params: Params = { w: tf.variable(tf.zeros([P])) };
    const zeroLoss = () => tf.tidy(() => tf.mul(tf.sum(params.w), 0) as tf.Scalar);
    const { grads } = dpSgdGradient(params, 4, zeroLoss, { clipNorm: 2, noiseMultiplier: 1.5, rng: new Rng(5) });
    const v = Array.from(grads.w.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / P;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / P);
    expect(sd).toBeCloseTo((1.5 * 2) / 4, 1);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    // the same seed gives the same noise
    const again = dpSgdGradient(params, 4, zeroLoss, { clipNorm: 2, noiseMultiplier: 1.5, rng: new Rng(5) });
    expect(again.grads.w.dataSync()[7]).toBe(v[7]);
    disposeNamed(grads);
    disposeNamed(again.grads);
  });

  it('a training loop keeps the tensor count flat and still learns with small noise', () => {
    const { params, loss } = setup(2);
    const rng = new Rng(2);
    const step = () => {
      const { grads } = dpSgdGradient(params, 2, loss, { clipNorm: 1, noiseMultiplier: 0.1, rng });
      sgdApply(params, grads, 0.2);
      disposeNamed(grads);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    const w = params.w.dataSync();
    expect(w[0]).toBeCloseTo(1, 0); // w·x = y for x = (1, 0): w₀ → 1
    expect(w[1]).toBeCloseTo(0.5, 0); // x = (0, 2): w₁ → 0.5
  });

  it('names an unknown trainable parameter', () => {
    const { params, loss } = setup();
    expect(() =>
      dpSgdGradient(params, 1, loss, { clipNorm: 1, noiseMultiplier: 0, rng: new Rng(1) }, ['nope']),
    ).toThrow(/no parameter named "nope"/);
  });
});

describe('batched per-example gradients for a bigram table', () => {
  it('match the one-example-at-a-time DP-SGD gradient exactly (no noise)', async () => {
    const { bigramPerExampleGrads, crossEntropy, dpBigramGradient } = await import('@how-llms-work/lib');
    const rng = new Rng(8);
    const V = 5;
    const table = tf.variable(
      tf.tensor2d(
        Array.from({ length: V * V }, () => rng.normal() * 2),
        [V, V],
      ),
    );
    const x = tf.tensor1d([0, 3, 3, 1, 4, 0], 'int32');
    const y = tf.tensor1d([1, 2, 2, 0, 4, 3], 'int32');
    const B = 6;
    const xs = tf.split(x, B);
    const ys = tf.split(y, B);
    const params: Params = { table };
    const loop = dpSgdGradient(params, B, (i) => crossEntropy(tf.gather(table, xs[i]), ys[i]), {
      clipNorm: 0.5,
      noiseMultiplier: 0,
      rng,
    });
    const fast = dpBigramGradient(table, x, y, { clipNorm: 0.5, noiseMultiplier: 0, rng });
    const a = loop.grads.table.dataSync();
    const b = fast.dataSync();
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    // a row of the per-example gradient sums to 0 (softmax minus one-hot)
    const rows = bigramPerExampleGrads(table, x, y).sum(1).dataSync();
    rows.forEach((v) => expect(v).toBeCloseTo(0, 5));
  });
});
