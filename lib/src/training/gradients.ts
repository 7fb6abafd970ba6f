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
        throw new Error(`frozen pattern "${pattern}" matches no parameter; names look like ${names.slice(0, 3).join(', ')}`);
      }
    }
  }
  const trainable = names.filter((n) => !isFrozen(n));
  if (trainable.length === 0) throw new Error('every parameter is frozen: nothing would train; freeze fewer names');
  return trainable;
}

/** Loss value () and gradients {name: same shape as the parameter} for the trainable names. Caller disposes both. */
export function lossAndGrads(lossFn: () => tf.Scalar, params: Params, names: string[] = Object.keys(params)): { loss: tf.Scalar; grads: NamedTensors } {
  const varList = names.map((n) => {
    const v = params[n];
    if (!v) throw new Error(`no parameter named "${n}"; known names start ${Object.keys(params).slice(0, 3).join(', ')}`);
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
