/**
 * Named parameter initialisers: every model part adds its variables to one `Params` map through these,
 * so the map's insertion order is the model's canonical order. Values come from a seeded `Rng`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { Params } from './params';

function addVariable(params: Params, name: string, shape: number[], values: Float32Array): void {
  if (name in params) throw new Error(`parameter "${name}" already exists: give each part a distinct prefix`);
  // Unnamed variables: TF.js variable names are global, and two models may share parameter names.
  // tidy frees the tensor the variable is made from (a variable keeps its own reference to the data).
  params[name] = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true));
}

/** Add a variable of `shape` drawn from N(0, std²). */
export function addNormal(params: Params, name: string, shape: number[], std: number, rng: Rng): void {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  addVariable(params, name, shape, values);
}

/** Add a variable of `shape` filled with `value` (zeros for biases, ones for norm gains). */
export function addConstant(params: Params, name: string, shape: number[], value: number): void {
  const size = shape.reduce((a, b) => a * b, 1);
  addVariable(params, name, shape, new Float32Array(size).fill(value));
}

/** Add a linear layer `prefix.weight` (out, in) ~ N(0, std²) and, if `bias`, `prefix.bias` (out) = 0, in PyTorch's nn.Linear layout. */
export function addLinear(
  params: Params,
  prefix: string,
  inFeatures: number,
  outFeatures: number,
  std: number,
  bias: boolean,
  rng: Rng,
): void {
  addNormal(params, `${prefix}.weight`, [outFeatures, inFeatures], std, rng);
  if (bias) addConstant(params, `${prefix}.bias`, [outFeatures], 0);
}

/** Add a layer norm `prefix.weight` (C) = 1 and, if `bias`, `prefix.bias` (C) = 0. */
export function addLayerNorm(params: Params, prefix: string, width: number, bias: boolean): void {
  addConstant(params, `${prefix}.weight`, [width], 1);
  if (bias) addConstant(params, `${prefix}.bias`, [width], 0);
}

/** The parameter called `name`, or an error that lists what exists. */
export function param(params: Params, name: string): tf.Variable {
  const value = params[name];
  if (!value) {
    const some = Object.keys(params).slice(0, 6).join(', ');
    throw new Error(
      `no parameter named "${name}" (have ${some}${Object.keys(params).length > 6 ? ', …' : ''}): check the prefix and the config the params were built with`,
    );
  }
  return value;
}

/** The parameter called `name` if it exists (optional biases). */
export function maybeParam(params: Params, name: string): tf.Variable | undefined {
  return params[name];
}
