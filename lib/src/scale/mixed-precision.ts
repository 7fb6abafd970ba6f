/**
 * Mixed-precision training, simulated (Micikevicius et al. 2018, "Mixed Precision Training"): the
 * forward and backward passes see 16-bit weights, activations and gradients, while an fp32 master copy
 * of the weights takes the optimizer's updates. In fp16, gradients smaller than 2^-24 ≈ 6e-8 become
 * zero; multiplying the loss by a scale S moves them back into range, and dividing the fp32 gradients
 * by S undoes it. Dynamic loss scaling (PyTorch's GradScaler) halves S whenever a gradient overflows
 * (that step is skipped) and doubles it after a run of good steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPTConfig } from '../model/gpt';
import type { NamedTensors, Params } from '../model/params';
import { adamwStep, type AdamWState } from '../training/adamw';
import { gptLayers } from './gpt-tasks';
import { roundTensorToFormat, type FloatFormatName } from './precision';

/** Identity on x (any shape) that stores its value, and on the way back its gradient, in `format`: one 16-bit activation. */
export function precisionCast(x: tf.Tensor, format: FloatFormatName): tf.Tensor {
  if (format === 'fp32') return x;
  const cast = tf.customGrad(((v: tf.Tensor) => ({
    value: roundTensorToFormat(v, format),
    gradFunc: (dy: tf.Tensor) => roundTensorToFormat(dy, format),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return cast(x);
}

/** Dynamic loss scaling, as torch.cuda.amp.GradScaler does it (defaults: start 2^16, ×2 every 2000 good steps, ×½ on overflow). */
export class LossScaler {
  scale: number;
  private goodSteps = 0;
  /** Steps skipped because a gradient was not finite. */
  skipped = 0;

  constructor(
    private readonly o: { initial?: number; growthInterval?: number; growth?: number; backoff?: number } = {},
  ) {
    this.scale = o.initial ?? 2 ** 16;
    if (!(this.scale > 0)) throw new Error(`initial loss scale must be positive, got ${this.scale}`);
  }

  /** Record whether this step's gradients were finite; returns whether to apply the step. */
  update(finite: boolean): boolean {
    if (!finite) {
      this.scale *= this.o.backoff ?? 0.5;
      this.goodSteps = 0;
      this.skipped++;
      return false;
    }
    this.goodSteps++;
    if (this.goodSteps >= (this.o.growthInterval ?? 2000)) {
      this.scale *= this.o.growth ?? 2;
      this.goodSteps = 0;
    }
    return true;
  }
}

/** How one simulated step went. */
export interface PrecisionStepResult {
  /** The unscaled loss. */
  loss: number;
  /** Whether the optimizer step was applied (false when a gradient overflowed). */
  applied: boolean;
  /** Fraction of nonzero fp32 weight-gradient entries that were zero after the 16-bit round trip. */
  zeroedFraction: number;
  /** The loss scale used for this step. */
  scale: number;
}

/**
 * One GPT training step in `format`: 16-bit copies of the fp32 master weights, 16-bit activations and
 * activation gradients between blocks, 16-bit weight gradients, then unscaling and AdamW on the master
 * weights in fp32. With a `scaler`, the loss is multiplied by its scale first. batch: { x, y } (B, T) int32.
 */
export function mixedPrecisionStep(
  master: Params,
  config: GPTConfig,
  batch: NamedTensors,
  o: { format: FloatFormatName; optimizer: AdamWState; lr: number; scaler?: LossScaler },
): PrecisionStepResult {
  const scale = o.scaler?.scale ?? 1;
  const names = Object.keys(master);
  const { loss, grads, zeroedFraction } = tf.tidy(() => {
    const low = names.map((n) => roundTensorToFormat(master[n], o.format)); // 16-bit weights
    const f = (...ws: tf.Tensor[]) => {
      const params = Object.fromEntries(names.map((n, i) => [n, ws[i]]));
      const between = (x: tf.Tensor) => precisionCast(x, o.format);
      return gptLayers(params, config, batch.x, {
        from: 0,
        to: config.nLayer,
        embed: true,
        targets: batch.y,
        between,
      }).mul(scale) as tf.Scalar;
    };
    const { value, grads: raw } = tf.valueAndGrads(f)(low);
    let nonzero = 0;
    let zeroed = 0;
    const g: NamedTensors = {};
    names.forEach((n, i) => {
      const before = raw[i].dataSync();
      const stored = roundTensorToFormat(raw[i], o.format); // the 16-bit weight gradient
      const after = stored.dataSync();
      for (let j = 0; j < before.length; j++) {
        if (before[j] !== 0) {
          nonzero++;
          if (after[j] === 0) zeroed++;
        }
      }
      g[n] = stored.div(scale); // unscale in fp32
    });
    return { loss: value.div(scale) as tf.Scalar, grads: g, zeroedFraction: nonzero ? zeroed / nonzero : 0 };
  });
  const finite = tf.tidy(
    () => tf.addN(Object.values(grads).map((g) => g.isFinite().logicalNot().sum())).dataSync()[0] === 0,
  );
  const applied = o.scaler ? o.scaler.update(finite) : finite;
  if (applied) adamwStep(o.optimizer, master, grads, o.lr);
  const value = loss.dataSync()[0];
  tf.dispose([loss, grads]);
  return { loss: value, applied, zeroedFraction, scale };
}

/** The loss gradient at the residual stream after the embedding (B, T, C), flattened: the activation gradients fp16 must hold. */
export function residualGradient(params: Params, config: GPTConfig, batch: NamedTensors): Float32Array {
  return tf.tidy(() => {
    const x0 = gptLayers(params, config, batch.x, { from: 0, to: 0, embed: true }); // (B, T, C)
    const rest = (x: tf.Tensor) =>
      gptLayers(params, config, x, { from: 0, to: config.nLayer, embed: false, targets: batch.y }) as tf.Scalar;
    return tf.grad(rest)(x0).dataSync() as Float32Array;
  });
}
