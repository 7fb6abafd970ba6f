/**
 * The course's GPT, cut into the pieces parallel training needs: its loss on a batch (for data-parallel
 * workers) and its layers split into consecutive stages (for pipeline workers). Workers load this module
 * by path, so it only imports what a worker needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gptBlock, gptEmbed, gptForward, gptHead, type GPTConfig } from '../model/gpt';
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
    const [from, to] = blockRange(k, o);
    const last = k === o.starts.length;
    return gptLayers(params, o.config, k === 0 ? batch.x : input!, {
      from,
      to,
      embed: k === 0,
      targets: last ? batch.y : undefined,
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

/** What part of a GPT `gptLayers` runs. */
export interface GPTLayersOptions {
  /** Blocks [from, to) run. */
  from: number;
  to: number;
  /** The input is token ids (B, T) to embed; otherwise it is the residual stream (B, T, C). */
  embed: boolean;
  /** Given: end with the final norm, the tied head and the mean cross-entropy against these (B, T) targets. */
  targets?: tf.Tensor;
  /** Applied to the residual stream (B, T, C) after the embedding and after every block (e.g. a precision cast). */
  between?: (x: tf.Tensor) => tf.Tensor;
}

/** A run of a GPT's layers: ids (B, T) or activations (B, T, C) → activations (B, T, C), or the loss () when targets are given. */
export function gptLayers(params: NamedTensors, config: GPTConfig, input: tf.Tensor, o: GPTLayersOptions): tf.Tensor {
  const p = params as Params;
  const between = o.between ?? ((x: tf.Tensor) => x);
  return tf.tidy(() => {
    let x = o.embed ? between(gptEmbed(p, config, input)) : input; // (B, T, C)
    for (let i = o.from; i < o.to; i++) x = between(gptBlock(p, config, i, x)); // (B, T, C)
    return o.targets ? crossEntropy(gptHead(p, config, x), o.targets) : x;
  });
}
