/**
 * A data-parallel worker: loads the library's backend and the model's loss, then, for each shard it is
 * sent, reads the current weights from shared memory, computes loss and gradients, and writes the
 * gradients into its own shared buffer for the all-reduce.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../runtime';
import type { NamedTensors } from '../model/params';
import { shardGradients, type ShardLoss } from './shard-loss';
import { fromTensorData, readNamed, writeNamed, type Slot, type TensorData } from './tensor-transfer';
import { serveRequests, wallClockMs, type ModuleRef } from './worker-pool';

interface ShardWorkerData {
  backend: BackendName;
  task: ModuleRef;
  layout: Slot[];
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
}

const data = workerData as ShardWorkerData;
const weights = new Float32Array(data.weights);
const grads = new Float32Array(data.grads);
const port = parentPort!;

function loadLoss(): ShardLoss {
  const fn = require(data.task.module)[data.task.export];
  if (typeof fn !== 'function') throw new Error(`${data.task.module} has no exported function "${data.task.export}"`);
  return fn as ShardLoss;
}

let loss: ShardLoss | undefined;

serveRequests(port, async (msg: { type: string; batch?: Record<string, TensorData> }) => {
  if (msg.type === 'init') {
    const info = await selectBackend(data.backend);
    loss = loadLoss();
    return { type: 'ready', summary: info.summary };
  }
  if (msg.type !== 'grads') throw new Error(`unknown request "${msg.type}"`);
  const start = wallClockMs();
  const params = readNamed(data.layout, weights);
  const batch: NamedTensors = {};
  for (const [k, v] of Object.entries(msg.batch!)) batch[k] = fromTensorData(v);
  const out = shardGradients(loss!, params, batch, data.task.options);
  writeNamed(out.grads, data.layout, grads);
  const value = out.loss.dataSync()[0];
  tf.dispose([out.loss, out.grads, params, batch]);
  return { type: 'grads', loss: value, start, end: wallClockMs(), tensors: tf.memory().numTensors };
});
