/**
 * A character-level recurrent language model's parameters, named as PyTorch's
 * `nn.Embedding` + `nn.RNN`/`nn.LSTM` + `nn.Linear` would name them in a `state_dict`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { Params } from '../model/params';

/** `rnn` is Elman's (1990) tanh cell; `lstm` is Hochreiter & Schmidhuber's (1997) gated cell. */
export type RecurrentKind = 'rnn' | 'lstm';

/** Shape of a one-layer character model: ids → embedding (C) → recurrent cell (C) → logits (V). */
export interface RecurrentConfig {
  kind: RecurrentKind;
  /** V: number of distinct tokens. */
  vocabSize: number;
  /** C: embedding width and hidden-state width (one width keeps the shapes easy to follow). */
  width: number;
}

/** How many stacked gate blocks a cell's weight matrices hold: 1 for tanh RNN, 4 (i, f, g, o) for LSTM. */
export function gateCount(kind: RecurrentKind): number {
  return kind === 'lstm' ? 4 : 1;
}

function checkConfig(config: RecurrentConfig): void {
  if (config.kind !== 'rnn' && config.kind !== 'lstm')
    throw new Error(`recurrent kind must be "rnn" or "lstm", got "${config.kind}"`);
  for (const key of ['vocabSize', 'width'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be a positive integer, got ${value}`);
  }
}

/**
 * Initialise parameters: embedding ~ N(0, 1) (V, C); cell and head weights ~ U(-1/√C, 1/√C) as PyTorch does.
 * The LSTM's forget-gate bias starts at 1 so the cell remembers by default (Jozefowicz et al., 2015).
 */
export function initRecurrent(config: RecurrentConfig, seed = 1337): Params {
  checkConfig(config);
  const rng = new Rng(seed);
  const { vocabSize: V, width: C } = config;
  const G = gateCount(config.kind);
  const bound = 1 / Math.sqrt(C);
  const uniform = (shape: number[]) => tf.randomUniform(shape, -bound, bound, 'float32', rng.seed());
  const forgetBias = (b: tf.Tensor1D) =>
    // Gate order is PyTorch's (i, f, g, o): the forget gate is the second block of C.
    config.kind === 'lstm' ? b.add(tf.concat([tf.zeros([C]), tf.ones([C]), tf.zeros([2 * C])])) : b;
  // Variables survive tidy; the tensors they were initialised from do not.
  return tf.tidy(() => ({
    'embedding.weight': tf.variable(tf.randomNormal([V, C], 0, 1, 'float32', rng.seed())),
    'rnn.weight_ih_l0': tf.variable(uniform([G * C, C])),
    'rnn.weight_hh_l0': tf.variable(uniform([G * C, C])),
    'rnn.bias_ih_l0': tf.variable(uniform([G * C])),
    'rnn.bias_hh_l0': tf.variable(forgetBias(uniform([G * C]) as tf.Tensor1D)),
    'head.weight': tf.variable(uniform([V, C])),
    'head.bias': tf.variable(uniform([V])),
  }));
}
