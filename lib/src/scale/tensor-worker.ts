/**
 * A tensor-parallel worker: holds one slice of a Megatron MLP (its rows of c_fc, its columns of c_proj) and runs the
 * library's own `feedForward` on it. Forward: x (B, T, C) in, partial output (B, T, C) out. Backward: the output's
 * gradient in, the gradients of its slice and its partial input gradient out. The sums happen in the all-reduce.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../runtime';
import { feedForward } from '../model/mlp';
import type { NamedTensors, Params } from '../model/params';
import { fromTensorData, toTensorData, type TensorData } from './tensor-transfer';
import { serveRequests, wallClockMs } from './worker-pool';

interface TensorWorkerData {
  backend: BackendName;
  /** Parameter prefix of the MLP, e.g. `transformer.h.0.mlp`. */
  prefix: string;
}

const data = workerData as TensorWorkerData;
let shard: NamedTensors = {};
let savedInput: tf.Tensor | undefined;

serveRequests(parentPort!, async (msg: any) => {
  const start = wallClockMs();
  const timed = (reply: Record<string, unknown>) => ({ ...reply, start, end: wallClockMs() });
  switch (msg.type) {
    case 'init': {
      const info = await selectBackend(data.backend);
      return { type: 'ready', summary: info.summary };
    }
    case 'load': {
      tf.dispose(shard);
      shard = Object.fromEntries(
        Object.entries(msg.shard as Record<string, TensorData>).map(([k, v]) => [k, fromTensorData(v)]),
      );
      return { type: 'loaded', tensors: tf.memory().numTensors };
    }
    case 'forward': {
      // The input stays until the backward pass, which recomputes the slice's forward from it.
      savedInput?.dispose();
      savedInput = fromTensorData(msg.x);
      const y = feedForward(shard as Params, data.prefix, savedInput); // (B, T, C), this slice's share of the sum
      const output = toTensorData(y);
      y.dispose();
      return timed({ type: 'forward', output });
    }
    case 'backward': {
      if (!savedInput) throw new Error('backward before forward: send the forward pass of this step first');
      const names = Object.keys(shard);
      const dy = fromTensorData(msg.dOutput); // (B, T, C)
      // Gradients of Σ y·dy: the slice's weights and its part of the input's gradient.
      const f = (...ts: tf.Tensor[]) =>
        feedForward(Object.fromEntries(names.map((n, i) => [n, ts[i]])) as Params, data.prefix, ts[names.length])
          .mul(dy)
          .sum() as tf.Scalar;
      const g = tf.grads(f)([...names.map((n) => shard[n]), savedInput]);
      const grads = Object.fromEntries(names.map((n, i) => [n, toTensorData(g[i])]));
      const dInput = toTensorData(g[names.length]);
      tf.dispose([g, dy, savedInput]);
      savedInput = undefined;
      return timed({ type: 'backward', grads, dInput, tensors: tf.memory().numTensors });
    }
    default:
      throw new Error(`unknown request "${msg.type}"`);
  }
});
