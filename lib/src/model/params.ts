/**
 * A model's parameters are one flat, ordered map of named variables, with the names PyTorch's
 * `state_dict` would use. The GPT uses nanoGPT's names and layouts exactly (`transformer.h.0.attn.c_attn.weight`,
 * weight (out, in); see gpt.ts), so a nanoGPT state_dict loads without renaming or transposing.
 * Checkpoints, freezing, pruning masks, quantization, DP-SGD and federated averaging all act on parameters by name.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Named parameters in a fixed order (insertion order is the canonical order). */
export type Params = Record<string, tf.Variable>;

/** Named tensors of the same names as some Params: gradients, masks, moments. */
export type NamedTensors = Record<string, tf.Tensor>;

/** Total number of scalars in the parameters (optionally only names passing `filter`). */
export function countParameters(params: Params | NamedTensors, filter: (name: string) => boolean = () => true): number {
  let total = 0;
  for (const [name, value] of Object.entries(params)) if (filter(name)) total += value.size;
  return total;
}

/** Dispose every tensor of a named map (parameters, gradients, moments). */
export function disposeNamed(named: Params | NamedTensors): void {
  for (const value of Object.values(named)) value.dispose();
}
