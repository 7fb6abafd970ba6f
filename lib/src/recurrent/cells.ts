/**
 * One time step of each recurrent cell. Weights follow PyTorch's layout (G*C, C), so inputs multiply
 * the transpose: x Wᵀ. The whole point of recurrence is here: step t needs h from step t-1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../model/params';

/** The state an LSTM carries between steps: hidden h (B, C) and cell c (B, C). */
export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/** Pre-activations of all gates, x Wᵢₕᵀ + bᵢₕ + h Wₕₕᵀ + bₕₕ: x (B, C), h (B, C) → (B, G*C). */
function gates(params: Params, x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  const fromInput = tf.matMul(x, params['rnn.weight_ih_l0'], false, true).add(params['rnn.bias_ih_l0']); // (B, G*C)
  const fromHidden = tf.matMul(h, params['rnn.weight_hh_l0'], false, true).add(params['rnn.bias_hh_l0']); // (B, G*C)
  return fromInput.add(fromHidden) as tf.Tensor2D;
}

/** Elman RNN step: h' = tanh(x Wᵢₕᵀ + bᵢₕ + h Wₕₕᵀ + bₕₕ); x (B, C), h (B, C) → h' (B, C). */
export function rnnCell(params: Params, x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.tanh(gates(params, x, h)));
}

/** LSTM step (gate order i, f, g, o as PyTorch): c' = f⊙c + i⊙g, h' = o⊙tanh(c'); x (B, C), state (B, C) each. */
export function lstmCell(params: Params, x: tf.Tensor2D, state: LstmState): LstmState {
  return tf.tidy(() => {
    const [i, f, g, o] = tf.split(gates(params, x, state.h), 4, 1) as tf.Tensor2D[]; // 4 × (B, C)
    // The cell state is updated additively: gradients flow back through f⊙c without a squashing nonlinearity.
    const c = tf
      .sigmoid(f)
      .mul(state.c)
      .add(tf.sigmoid(i).mul(tf.tanh(g))) as tf.Tensor2D; // (B, C)
    const h = tf.sigmoid(o).mul(tf.tanh(c)) as tf.Tensor2D; // (B, C)
    return { h, c };
  });
}
