/**
 * Federated averaging (McMahan et al., "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data", AISTATS 2017, <https://arxiv.org/abs/1602.05629>): each client trains a
 * copy of the global model on its own data for a few local steps; the server replaces the global
 * weights by the average of the clients' weights, each weighted by how many examples it holds.
 * Raw data never leaves a client, only weights do (which is not, by itself, a privacy guarantee).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors, Params } from '../model/params';
import { allReduceMean } from '../scale/allreduce';

/** Weighted average of clients' named tensors: Σ_k (n_k / n) w_k, per name (each name keeps its shape). */
export function federatedAverage(clients: NamedTensors[], numExamples: number[]): NamedTensors {
  if (clients.length === 0) throw new Error('federated average needs at least one client');
  if (numExamples.length !== clients.length) {
    throw new Error(`one example count per client: got ${numExamples.length} counts for ${clients.length} clients`);
  }
  const bad = numExamples.find((n) => !(n >= 0));
  if (bad !== undefined) throw new Error(`example counts must be ≥ 0, got ${bad}`);
  if (numExamples.every((n) => n === 0)) throw new Error('every client holds 0 examples; nothing to average');
  const names = Object.keys(clients[0]);
  clients.forEach((c, k) => {
    const missing = names.find((name) => !(name in c));
    if (missing !== undefined)
      throw new Error(`client ${k} has no tensor named "${missing}"; every client must hold the same names`);
  });
  // The server's average is the data-parallel all-reduce, weighted by example counts instead of shard sizes.
  return allReduceMean(clients, numExamples);
}

/** Copy a model's parameters into fresh variables (a client's local model). */
export function cloneParams(params: Params, prefix = 'client'): Params {
  const out: Params = {};
  // The variable keeps its own reference to the copy; tidy drops the temporary handle.
  for (const [name, v] of Object.entries(params))
    out[name] = tf.tidy(() => tf.variable(v.clone(), true, `${prefix}/${name}/${uniqueId()}`));
  return out;
}

let counter = 0;
function uniqueId(): number {
  return counter++;
}

/** Overwrite variables with named values of the same shapes. */
export function assignParams(params: Params, values: NamedTensors): void {
  for (const [name, v] of Object.entries(params)) {
    const value = values[name];
    if (!value) throw new Error(`no value for parameter "${name}"`);
    v.assign(value);
  }
}

/** One client's part of a round: train `local` (a copy of the global model) in place; return its example count. */
export type ClientUpdate = (client: number, local: Params) => number;

/** One FedAvg round: every client trains a copy of the global model, the global model becomes their weighted average. */
export function fedAvgRound(global: Params, numClients: number, trainClient: ClientUpdate): void {
  const locals: Params[] = [];
  const counts: number[] = [];
  for (let k = 0; k < numClients; k++) {
    const local = cloneParams(global, `client${k}`);
    counts.push(trainClient(k, local));
    locals.push(local);
  }
  const avg = federatedAverage(locals, counts);
  assignParams(global, avg);
  for (const t of Object.values(avg)) t.dispose();
  for (const local of locals) for (const v of Object.values(local)) v.dispose();
}
