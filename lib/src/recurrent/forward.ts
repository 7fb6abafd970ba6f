/**
 * The recurrent language model as functions of (params, inputs): embed each token, run the cell
 * left to right, and read logits for the next token off every hidden state.
 */
import * as tf from '@tensorflow/tfjs-core';
import { tokenEmbedding } from '../model/embedding';
import type { Params } from '../model/params';
import { lstmCell, rnnCell } from './cells';
import type { RecurrentConfig } from './params';

/** Token ids (B, T) int32 → input vectors (B, T, C): row `id` of the embedding table. */
export function embedTokens(params: Params, ids: tf.Tensor2D): tf.Tensor3D {
  return tokenEmbedding(params['embedding.weight'], ids); // (B, T, C)
}

/** Run the cell over time from a zero state: inputs (B, T, C) → hidden states (B, T, C). */
export function runRecurrence(params: Params, config: RecurrentConfig, inputs: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = inputs.shape;
    const xs = tf.unstack(inputs, 1) as tf.Tensor2D[]; // T × (B, C)
    let h = tf.zeros([B, C]) as tf.Tensor2D; // (B, C)
    let c = tf.zeros([B, C]) as tf.Tensor2D; // (B, C), used by the LSTM only
    const hs: tf.Tensor2D[] = [];
    // This loop is the sequential bottleneck: step t cannot start before step t-1 has finished.
    for (let t = 0; t < T; t++) {
      if (config.kind === 'lstm') ({ h, c } = lstmCell(params, xs[t], { h, c }));
      else h = rnnCell(params, xs[t], h);
      hs.push(h);
    }
    return tf.stack(hs, 1) as tf.Tensor3D; // (B, T, C)
  });
}

/** Hidden states (B, T, C) → next-token logits (B, T, V) through the linear head. */
export function recurrentHead(params: Params, hidden: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = hidden.shape;
    const V = params['head.bias'].shape[0];
    const flat = tf.matMul(hidden.reshape([B * T, C]), params['head.weight'], false, true).add(params['head.bias']); // (B*T, V)
    return flat.reshape([B, T, V]) as tf.Tensor3D;
  });
}

/** Input vectors (B, T, C) → logits (B, T, V); the gradient-flow experiment differentiates through this. */
export function recurrentForwardFromInputs(params: Params, config: RecurrentConfig, inputs: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => recurrentHead(params, runRecurrence(params, config, inputs)));
}

/** Token ids (B, T) int32 → next-token logits (B, T, V). */
export function recurrentForward(params: Params, config: RecurrentConfig, ids: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => recurrentForwardFromInputs(params, config, embedTokens(params, ids)));
}
