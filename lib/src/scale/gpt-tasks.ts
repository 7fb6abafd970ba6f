/**
 * The course's GPT, cut into the pieces parallel training needs: its loss on a batch (for data-parallel
 * workers) and its layers split into consecutive stages (for pipeline workers). Workers load this module
 * by path, so it only imports what a worker needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gptForward, type GPTConfig } from '../model/gpt';
import { transformerBlock } from '../model/block';
import { learnedPositions, tokenEmbedding } from '../model/embedding';
import { layerNorm } from '../model/layernorm';
import { sinusoidalEncoding } from '../model/sinusoidal';
import { maybeParam, param } from '../model/init';
import type { NamedTensors, Params } from '../model/params';
import { crossEntropy } from '../training/loss';
import type { PipelineModel } from './pipeline-model';
import { siblingModule, type ModuleRef } from './worker-pool';

/** Mean next-token cross-entropy of a GPT on { x: (B, T) int32, y: (B, T) int32 } (a ShardLoss). */
export function gptShardLoss(params: NamedTensors, batch: NamedTensors, config: GPTConfig): tf.Scalar {
  return tf.tidy(() => crossEntropy(gptForward(params as Params, config, batch.x as tf.Tensor2D), batch.y));
}

/** Options of the GPT pipeline: the model's config and the block index where each later stage begins. */
export interface GPTPipelineOptions {
  config: GPTConfig;
  /** Stage k runs blocks [starts[k−1], starts[k]); e.g. [2] splits a 4-layer model into blocks 0–1 and 2–3. */
  starts: number[];
}

function blockRange(k: number, o: GPTPipelineOptions): [number, number] {
  const bounds = [0, ...o.starts, o.config.nLayer];
  return [bounds[k], bounds[k + 1]];
}

/**
 * GPT split by layers. Stage 0 embeds the tokens, the last stage ends with the final norm, the tied
 * output head and the loss, so the token embedding lives on both: its two gradients are summed, as
 * Megatron-LM all-reduces its shared embedding between the first and last pipeline stages.
 */
export const gptPipeline: PipelineModel<GPTPipelineOptions> = {
  stages: (o) => o.starts.length + 1,

  usesParameter(k, name, o) {
    const last = o.starts.length;
    if (name === 'transformer.wte.weight') return k === 0 || k === last;
    if (name.startsWith('transformer.wpe.')) return k === 0;
    if (name.startsWith('transformer.ln_f.')) return k === last;
    const m = /^transformer\.h\.(\d+)\./.exec(name);
    if (!m) throw new Error(`the GPT pipeline does not know where parameter "${name}" belongs`);
    const [from, to] = blockRange(k, o);
    return Number(m[1]) >= from && Number(m[1]) < to;
  },

  forward(k, params, input, batch, o) {
    const { config } = o;
    const p = params as Params;
    return tf.tidy(() => {
      let x: tf.Tensor;
      if (k === 0) {
        const ids = batch.x; // (B, T)
        const T = ids.shape[1]!;
        x = tokenEmbedding(param(p, 'transformer.wte.weight'), ids); // (B, T, C)
        const positional = config.positional ?? 'learned';
        if (positional === 'learned') x = x.add(learnedPositions(param(p, 'transformer.wpe.weight'), T));
        if (positional === 'sinusoidal') x = x.add(sinusoidalEncoding(T, config.nEmbd));
      } else {
        x = input!; // (B, T, C) from the previous stage
      }
      const [from, to] = blockRange(k, o);
      for (let i = from; i < to; i++) {
        x = transformerBlock(p, `transformer.h.${i}`, x, config, { causal: true, rope: config.positional === 'rope' }); // (B, T, C)
      }
      if (k < o.starts.length) return x;
      if ((config.norm ?? 'pre') === 'pre') x = layerNorm(x, param(p, 'transformer.ln_f.weight'), maybeParam(p, 'transformer.ln_f.bias'));
      const [B, T, C] = x.shape;
      const logits = tf.matMul(x.reshape([B * T, C]), param(p, 'transformer.wte.weight'), false, true).reshape([B, T, config.vocabSize]); // (B, T, V)
      return crossEntropy(logits, batch.y);
    });
  },
};

/** Where workers find the GPT loss, for DataParallel.start(params, { task: gptShardTask(config) }). */
export function gptShardTask(config: GPTConfig): ModuleRef {
  return { module: siblingModule('gpt-tasks'), export: 'gptShardLoss', options: config };
}

/** Where stage workers find the GPT pipeline, for PipelineParallel.start(params, { model: gptPipeline, ref: gptPipelineRef(o) }). */
export function gptPipelineRef(options: GPTPipelineOptions): ModuleRef {
  return { module: siblingModule('gpt-tasks'), export: 'gptPipeline', options };
}
