import { describe, expect, it } from 'vitest';
import {
  crossEntropy,
  disposeAdamW,
  imageToPatches,
  initPatchClassifier,
  patchClassifierForward,
  quadrantImages,
  Rng,
  tf,
  train,
  type PatchModelConfig,
} from '@how-llms-work/lib';

describe('image patches as tokens', () => {
  it('cuts (B, H, W) into row-major P×P patches (B, N, P²)', () => {
    const img = tf.tensor3d([
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
        [13, 14, 15, 16],
      ],
    ]);
    const p = imageToPatches(img, 2);
    expect(p.shape).toEqual([1, 4, 4]);
    expect(p.arraySync()[0]).toEqual([
      [1, 2, 5, 6],
      [3, 4, 7, 8],
      [9, 10, 13, 14],
      [11, 12, 15, 16],
    ]);
  });

  it('names a patch size that does not divide the image', () => {
    expect(() => imageToPatches(tf.zeros([1, 6, 6]) as tf.Tensor3D, 4)).toThrow(
      /patch size 4 must divide the image height 6/,
    );
  });

  it('quadrant images light the labelled quadrant', () => {
    const { images, labels } = quadrantImages(8, 4, new Rng(1), 0);
    const img = images.arraySync();
    labels.arraySync().forEach((q, b) => {
      const r = q < 2 ? 0 : 2;
      const c = q % 2 === 0 ? 0 : 2;
      expect(img[b][r][c]).toBe(1);
      expect(img[b].flat().reduce((a, v) => a + v, 0)).toBe(4);
    });
  });

  const config: PatchModelConfig = { imageSize: 4, patchSize: 2, nEmbd: 16, nHead: 2, nLayer: 1, numClasses: 4 };

  it('without positions the model is blind to where a patch is: permuting patches changes nothing', () => {
    const params = initPatchClassifier({ ...config, positions: false }, 2);
    const img = tf.tensor3d([
      [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0.5, 0],
        [0, 0, 0, 0],
      ],
    ]);
    // Swap the top-left and bottom-right 2×2 patches.
    const swapped = tf.tensor3d([
      [
        [0.5, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 0],
      ],
    ]);
    const a = patchClassifierForward(params, { ...config, positions: false }, img).arraySync()[0];
    const b = patchClassifierForward(params, { ...config, positions: false }, swapped).arraySync()[0];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    const withPos = initPatchClassifier(config, 2);
    const c = patchClassifierForward(withPos, config, img).arraySync()[0];
    const d = patchClassifierForward(withPos, config, swapped).arraySync()[0];
    expect(Math.max(...c.map((v, i) => Math.abs(v - d[i])))).toBeGreaterThan(1e-4);
  });

  it('with positions a tiny vision transformer learns the quadrant task', async () => {
    const params = initPatchClassifier(config, 3);
    const data = quadrantImages(64, 4, new Rng(5));
    const test = quadrantImages(64, 4, new Rng(6));
    const result = await train({
      params,
      loss: (p, batch: { x: tf.Tensor3D; y: tf.Tensor1D }) =>
        crossEntropy(patchClassifierForward(p, config, batch.x), batch.y),
      trainBatch: () => ({ x: data.images.clone(), y: data.labels.clone() }),
      steps: 60,
      lr: 1e-2,
      seed: 1,
      evalEvery: 30,
    });
    disposeAdamW(result.optimizer);
    const acc = tf.tidy(
      () => patchClassifierForward(params, config, test.images).argMax(1).equal(test.labels).mean().dataSync()[0],
    );
    expect(result.evals[result.evals.length - 1].trainLoss).toBeLessThan(0.5);
    expect(acc).toBeGreaterThan(0.9);
  });

  it('the forward pass leaves no tensors behind', () => {
    const params = initPatchClassifier(config, 4);
    const { images } = quadrantImages(4, 4, new Rng(2));
    patchClassifierForward(params, config, images).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) patchClassifierForward(params, config, images).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
