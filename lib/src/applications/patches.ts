/**
 * Images as tokens (Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021,
 * <https://arxiv.org/abs/2010.11929>): cut the image into P×P patches, flatten each, project it
 * linearly to width C, add a learned position per patch, and the transformer blocks of a GPT
 * take it from there. Attention here is not causal: every patch sees every other.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import { addLayerNorm, addLinear, addNormal, maybeParam, param } from '../model/init';
import { initBlock, transformerBlock } from '../model/block';
import { layerNorm } from '../model/layernorm';
import { linear } from '../model/linear';
import type { Params } from '../model/params';

/** Images (B, H, W) → patches (B, N, P·P), N = (H/P)·(W/P), patches in row-major order, pixels row-major inside. */
export function imageToPatches(images: tf.Tensor3D, patchSize: number): tf.Tensor3D {
  const [B, H, W] = images.shape;
  const P = patchSize;
  if (!(Number.isInteger(P) && P >= 1) || H % P !== 0 || W % P !== 0) {
    throw new Error(`patch size ${P} must divide the image height ${H} and width ${W}; pick a divisor of both`);
  }
  return tf.tidy(
    () =>
      images
        .reshape([B, H / P, P, W / P, P]) // (B, rows, P, cols, P)
        .transpose([0, 1, 3, 2, 4]) // (B, rows, cols, P, P)
        .reshape([B, (H / P) * (W / P), P * P]) as tf.Tensor3D,
  );
}

/** A toy vision transformer's shape. */
export interface PatchModelConfig {
  imageSize: number;
  patchSize: number;
  nEmbd: number;
  nHead: number;
  nLayer: number;
  numClasses: number;
  /** Learned position per patch (default true); false shows what a bag of patches cannot tell apart. */
  positions?: boolean;
}

/** Parameters: patch_embed (C, P²), pos_embed (N, C), blocks.{i}.*, ln_f, head (K, C). */
export function initPatchClassifier(config: PatchModelConfig, seed = 1337): Params {
  const rng = new Rng(seed);
  const { imageSize, patchSize: P, nEmbd: C } = config;
  const N = (imageSize / P) ** 2;
  const params: Params = {};
  addLinear(params, 'patch_embed', P * P, C, 0.02, true, rng);
  if (config.positions ?? true) addNormal(params, 'pos_embed', [N, C], 0.02, rng);
  for (let i = 0; i < config.nLayer; i++)
    initBlock(params, `blocks.${i}`, { nEmbd: C, nHead: config.nHead }, config.nLayer, rng);
  addLayerNorm(params, 'ln_f', C, true);
  addLinear(params, 'head', C, config.numClasses, 0.02, true, rng);
  return params;
}

/** Class logits (B, K) for images (B, H, W): patches → linear → + positions → blocks → norm → mean over patches → head. */
export function patchClassifierForward(params: Params, config: PatchModelConfig, images: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const patches = imageToPatches(images, config.patchSize); // (B, N, P²)
    let x = linear(patches, param(params, 'patch_embed.weight'), maybeParam(params, 'patch_embed.bias')); // (B, N, C)
    if (config.positions ?? true) x = x.add(param(params, 'pos_embed')); // + (N, C)
    for (let i = 0; i < config.nLayer; i++)
      x = transformerBlock(params, `blocks.${i}`, x, { nEmbd: config.nEmbd, nHead: config.nHead }, { causal: false }); // (B, N, C)
    x = layerNorm(x, param(params, 'ln_f.weight'), maybeParam(params, 'ln_f.bias'));
    const pooled = x.mean(1); // (B, C)
    return linear(pooled, param(params, 'head.weight'), maybeParam(params, 'head.bias')) as tf.Tensor2D; // (B, K)
  });
}

/**
 * A toy image task: a bright square in one of the four quadrants of a noisy image; the label is the
 * quadrant (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right). Every quadrant has the same
 * pixels up to position, so only a model that knows where each patch is can solve it.
 */
export function quadrantImages(
  n: number,
  imageSize: number,
  rng: Rng,
  noise = 0.1,
): { images: tf.Tensor3D; labels: tf.Tensor1D } {
  if (imageSize % 2 !== 0) throw new Error(`image size must be even (four quadrants), got ${imageSize}`);
  const S = imageSize;
  const half = S / 2;
  const pixels = new Float32Array(n * S * S);
  const labels = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    const q = rng.int(4);
    labels[b] = q;
    const r0 = q < 2 ? 0 : half;
    const c0 = q % 2 === 0 ? 0 : half;
    for (let r = 0; r < S; r++) {
      for (let c = 0; c < S; c++) {
        const inside = r >= r0 && r < r0 + half && c >= c0 && c < c0 + half;
        pixels[b * S * S + r * S + c] = (inside ? 1 : 0) + noise * rng.normal();
      }
    }
  }
  return { images: tf.tensor3d(pixels, [n, S, S]), labels: tf.tensor1d(labels, 'int32') };
}
