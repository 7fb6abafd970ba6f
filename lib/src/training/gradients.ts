/**
 * Gradients as a named map, computed explicitly so that clipping, noise, masks or an all-reduce
 * can act on them before the optimizer does. Frozen parameters simply get no gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors, Params } from '../model/params';

/** Which parameters train: a list of names or glob patterns (`blocks.0.*`), or a predicate. */
export type NameFilter = string[] | ((name: string) => boolean);

/** Turn a NameFilter into a predicate; `*` in a pattern matches any run of characters. */
export function nameMatcher(filter: NameFilter): (name: string) => boolean {
  if (typeof filter === 'function') return filter;
  const regexes = filter.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return (name) => regexes.some((r) => r.test(name));
}

/** Names of the parameters that train: all but those matching `frozen` (an error if a pattern matches nothing). */
export function trainableNames(params: Params, frozen: NameFilter = []): string[] {
  const isFrozen = nameMatcher(frozen);
  const names = Object.keys(params);
  if (Array.isArray(frozen)) {
    for (const pattern of frozen) {
      if (!names.some((n) => nameMatcher([pattern])(n))) {
        throw new Error(
          `frozen pattern "${pattern}" matches no parameter; names look like ${names.slice(0, 3).join(', ')}`,
        );
      }
    }
  }
  const trainable = names.filter((n) => !isFrozen(n));
  if (trainable.length === 0) throw new Error('every parameter is frozen: nothing would train; freeze fewer names');
  return trainable;
}

/** Loss value () and gradients {name: same shape as the parameter} for the trainable names. Caller disposes both. */
export function lossAndGrads(
  lossFn: () => tf.Scalar,
  params: Params,
  names: string[] = Object.keys(params),
): { loss: tf.Scalar; grads: NamedTensors } {
  const varList = names.map((n) => {
    const v = params[n];
    if (!v)
      throw new Error(`no parameter named "${n}"; known names start ${Object.keys(params).slice(0, 3).join(', ')}`);
    return v;
  });
  const { value, grads } = tf.variableGrads(lossFn, varList);
  // variableGrads keys by variable name; map back to our parameter names.
  const named: NamedTensors = {};
  names.forEach((n, i) => {
    const g = grads[varList[i].name];
    if (!g) throw new Error(`parameter "${n}" got no gradient: is it used by the loss?`);
    named[n] = g;
  });
  return { loss: value, grads: named };
}

/**
 * Gradient accumulation: the loss and gradients of one big batch, computed as `microBatches` equal slices one after
 * another, so that only one slice's activations are alive at a time. For a loss that is a mean over equal-sized
 * slices, the mean of the slices' losses and gradients is exactly the big batch's. `lossOf(i)` returns slice i's
 * mean loss (). Caller disposes loss and grads.
 */
export function accumulatedLossAndGrads(
  lossOf: (slice: number) => tf.Scalar,
  microBatches: number,
  params: Params,
  names: string[] = Object.keys(params),
): { loss: tf.Scalar; grads: NamedTensors } {
  if (!Number.isInteger(microBatches) || microBatches < 1)
    throw new Error(`micro-batches must be a positive integer, got ${microBatches}`);
  if (microBatches === 1) return lossAndGrads(() => lossOf(0), params, names);
  let total: { loss: tf.Scalar; grads: NamedTensors } | undefined;
  for (let i = 0; i < microBatches; i++) {
    const part = lossAndGrads(() => lossOf(i), params, names);
    if (!total) {
      total = part;
      continue;
    }
    const sum: { loss: tf.Scalar; grads: NamedTensors } = { loss: tf.add(total.loss, part.loss), grads: {} };
    for (const n of names) sum.grads[n] = tf.add(total.grads[n], part.grads[n]);
    tf.dispose([total.loss, part.loss, ...Object.values(total.grads), ...Object.values(part.grads)]);
    total = sum;
  }
  const scale = 1 / microBatches;
  const mean = { loss: tf.mul(total!.loss, scale) as tf.Scalar, grads: {} as NamedTensors };
  for (const n of names) mean.grads[n] = tf.mul(total!.grads[n], scale);
  tf.dispose([total!.loss, ...Object.values(total!.grads)]);
  return mean;
}

/** Rows [slice·B/k, (slice+1)·B/k) of every (B, …) tensor in batch: micro-batch `slice` of `microBatches`. Caller disposes. */
export function microBatch<T extends { [K in keyof T]: tf.Tensor }>(batch: T, slice: number, microBatches: number): T {
  const out: Record<string, tf.Tensor> = {};
  for (const [key, t] of Object.entries(batch) as [string, tf.Tensor][]) {
    const B = t.shape[0];
    if (B % microBatches !== 0)
      throw new Error(
        `batch of ${B} rows does not split into ${microBatches} equal micro-batches: pick a divisor of ${B}`,
      );
    const rows = B / microBatches;
    out[key] = t.slice(slice * rows, rows);
  }
  return out as T;
}
