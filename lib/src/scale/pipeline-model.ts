/**
 * What pipeline parallelism needs from a model: its layers cut into consecutive stages. Stage k gets
 * the previous stage's activations (stage 0 gets only the batch) and the last stage returns the loss.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../model/params';

/** A model cut into stages; `O` are JSON options every stage receives. */
export interface PipelineModel<O = any> {
  /** How many stages the options make. */
  stages(options: O): number;
  /** Whether stage k needs parameter `name` (a parameter used by several stages gets their gradients summed). */
  usesParameter(k: number, name: string, options: O): boolean;
  /** Stage k: activations (B, T, C) (undefined for stage 0) → next activations, or the mean loss () on the last stage. */
  forward(k: number, params: NamedTensors, input: tf.Tensor | undefined, batch: NamedTensors, options: O): tf.Tensor;
}
