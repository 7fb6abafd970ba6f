// The encoder-only LM: GPT's layers with the causal mask off. It sees the future (unlike GPT), equals GPT at the
// last position (where GPT sees everything too), is permutation-equivariant without positions, its masked-LM loss
// equals a float64 cross-entropy over the chosen positions, it trains, and it leaks no tensors.
import { describe, expect, it } from 'vitest';
import {
  disposeAdamW,
  disposeNamed,
  encoderBlocks,
  encoderForward,
  gptForward,
  initGPT,
  maskedAccuracy,
  mlmLoss,
  Rng,
  sampleMLMBatch,
  tf,
  train,
  type GPTConfig,
} from '@how-llms-work/lib';

const config: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(a.sub(b)).max().dataSync()[0]);
const ids = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');

describe('encoderForward', () => {
  it('lets a later token change earlier outputs, which GPT never does', () => {
    const params = initGPT(config, 1);
    const [a, b] = [ids([[1, 2, 3, 4, 5]]), ids([[1, 2, 3, 4, 9]])];
    const first = (t: tf.Tensor) => t.slice([0, 0, 0], [1, 1, -1]);
    tf.tidy(() => {
      expect(
        maxDiff(first(encoderForward(params, config, a)), first(encoderForward(params, config, b))),
      ).toBeGreaterThan(1e-5);
      expect(maxDiff(first(gptForward(params, config, a)), first(gptForward(params, config, b)))).toBe(0);
    });
    tf.dispose([a, b]);
    disposeNamed(params);
  });

  it('with one block equals GPT at the last position, the one position where a causal mask hides nothing', () => {
    // One block only: in a second block the last position reads the earlier positions' first-block outputs, which
    // do differ between the two models.
    for (const variant of [
      {},
      { positional: 'rope' as const, normalization: 'rms' as const, mlp: 'swiglu' as const },
    ]) {
      const c = { ...config, ...variant, nLayer: 1 };
      const params = initGPT(c, 2);
      const x = ids([
        [3, 1, 4, 1, 5, 9],
        [2, 6, 5, 3, 5, 8],
      ]);
      tf.tidy(() => {
        const last = (t: tf.Tensor) => t.slice([0, 5, 0], [2, 1, -1]);
        const enc = encoderForward(params, c, x);
        const gpt = gptForward(params, c, x);
        expect(enc.shape).toEqual([2, 6, 11]);
        expect(maxDiff(last(enc), last(gpt))).toBeLessThan(1e-5);
        expect(maxDiff(enc, gpt)).toBeGreaterThan(1e-4);
      });
      x.dispose();
      disposeNamed(params);
    }
  });

  it('without positions is permutation-equivariant: permuting the tokens permutes the outputs', () => {
    const params = initGPT(config, 3);
    const rng = new Rng(4);
    const perm = [3, 0, 4, 1, 2];
    tf.tidy(() => {
      const x = tf.tensor3d(
        Array.from({ length: 5 * 16 }, () => rng.normal()),
        [1, 5, 16],
      );
      const permute = (t: tf.Tensor) => tf.gather(t, tf.tensor1d(perm, 'int32'), 1);
      const out = encoderBlocks(params, config, x);
      expect(maxDiff(encoderBlocks(params, config, permute(x)), permute(out))).toBeLessThan(1e-5);
    });
    disposeNamed(params);
  });

  it('ignores padding when given keep', () => {
    const params = initGPT(config, 5);
    const keep = tf.tensor2d([[1, 1, 1, 0]], undefined, 'float32');
    const [a, b] = [ids([[1, 2, 3, 0]]), ids([[1, 2, 3, 7]])];
    tf.tidy(() => {
      const head = (t: tf.Tensor) => t.slice([0, 0, 0], [1, 3, -1]);
      expect(
        maxDiff(head(encoderForward(params, config, a, { keep })), head(encoderForward(params, config, b, { keep }))),
      ).toBeLessThan(1e-5);
    });
    tf.dispose([keep, a, b]);
    disposeNamed(params);
  });
});

describe('mlmLoss', () => {
  it('equals −mean log softmax(logits)[target] over the chosen positions, in float64', () => {
    const params = initGPT(config, 6);
    const inputs = ids([
      [1, 10, 3, 4, 10, 6],
      [7, 8, 9, 10, 2, 3],
    ]);
    const targets = ids([
      [-1, 2, -1, -1, 5, -1],
      [-1, -1, 0, 4, -1, -1],
    ]);
    const loss = mlmLoss(config)(params, { inputs, targets }, { training: false, step: 0, seed: 0 });
    const logits = encoderForward(params, config, inputs).arraySync() as number[][][];
    const t = targets.arraySync() as number[][];
    let sum = 0;
    let count = 0;
    t.forEach((row, b) =>
      row.forEach((y, i) => {
        if (y < 0) return;
        const z = logits[b][i];
        const m = Math.max(...z);
        const logZ = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
        sum += logZ - z[y];
        count++;
      }),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(sum / count, 5);
    tf.dispose([loss, inputs, targets]);
    disposeNamed(params);
  });

  it('trains: the masked-LM loss falls on a repetitive text, and nothing leaks', async () => {
    const tiny: GPTConfig = { vocabSize: 9, blockSize: 12, nLayer: 1, nHead: 2, nEmbd: 16 };
    // Runs of 50 equal tokens: a masked token is whatever its visible neighbours are, learnable only from context.
    const text = Array.from({ length: 600 }, (_, i) => Math.floor(i / 50) % 8);
    const masking = { maskId: 8, vocabSize: 8 };
    const before = tf.memory().numTensors;
    const params = initGPT(tiny, 7);
    const result = await train({
      params,
      loss: mlmLoss(tiny),
      trainBatch: (rng) => sampleMLMBatch(text, 8, 12, masking, rng),
      steps: 40,
      lr: 1e-2,
      evalEvery: 39,
      evalIters: 2,
    });
    const [first, last] = [result.evals[0].trainLoss, result.evals.at(-1)!.trainLoss];
    expect(last).toBeLessThan(first * 0.5);
    const batch = sampleMLMBatch(text, 8, 12, masking, new Rng(9));
    const acc = maskedAccuracy(params, tiny, batch);
    expect(acc.correct / acc.total).toBeGreaterThan(0.5);
    tf.dispose([batch.inputs, batch.targets]);
    disposeAdamW(result.optimizer);
    disposeNamed(params);
    expect(tf.memory().numTensors).toBe(before);
  });
});
