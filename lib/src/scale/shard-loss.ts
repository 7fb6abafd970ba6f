/**
 * The one thing a data-parallel worker needs from a model: its mean loss on a batch, as a function of
 * named parameter tensors. Workers differentiate it themselves.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../model/params';

/** Mean loss of a batch (each batch tensor has B rows) under the named parameters: a scalar. */
export type ShardLoss = (params: NamedTensors, batch: NamedTensors, options: any) => tf.Scalar;

/** Loss and gradients (same names and shapes as `params`) of `loss` on one batch, in this thread. */
export function shardGradients(
  loss: ShardLoss,
  params: NamedTensors,
  batch: NamedTensors,
  options?: unknown,
): { loss: tf.Scalar; grads: NamedTensors } {
  const names = Object.keys(params);
  return tf.tidy(() => {
    const f = (...ts: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ts[i]])), batch, options);
    const { value, grads } = tf.valueAndGrads(f)(names.map((n) => params[n]));
    return { loss: value as tf.Scalar, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])) };
  });
}
