/**
 * A pipeline-stage worker: holds one stage of the model's layers. Forward requests take activations in
 * and send activations on; backward requests take the gradient of the stage's output, recompute the
 * stage's forward from the saved input (activation recomputation) and send the input's gradient back.
 * Parameter gradients add up over micro-batches until `collect` writes them to shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../runtime';
import type { NamedTensors } from '../model/params';
import type { PipelineModel } from './pipeline-model';
import { fromTensorData, toTensorData, writeNamed, type Slot, type TensorData } from './tensor-transfer';
import { serveRequests, wallClockMs, type ModuleRef } from './worker-pool';

interface StageWorkerData {
  backend: BackendName;
  model: ModuleRef;
  stage: number;
  last: boolean;
  /** Where all parameters sit in `weights`, and where this stage's sit in `grads`. */
  layout: Slot[];
  ownLayout: Slot[];
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
}

const data = workerData as StageWorkerData;
const weights = new Float32Array(data.weights);
const grads = new Float32Array(data.grads);
const names = data.ownLayout.map((s) => s.name);
let model: PipelineModel;
let params: NamedTensors = {};
let accumulated: NamedTensors = {};
const saved = new Map<number, { input?: tf.Tensor; batch: NamedTensors }>();

function toBatch(b: Record<string, TensorData>): NamedTensors {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, fromTensorData(v)]));
}

function accumulate(g: NamedTensors): void {
  for (const n of names) {
    const prev = accumulated[n];
    accumulated[n] = prev ? tf.tidy(() => prev.add(g[n])) : tf.keep(g[n].clone());
    prev?.dispose();
  }
}

/** Gradients of sum(stage(x) · dy) for the stage's parameters (and its input, when it has one). */
function stageGradients(mb: number, dy: tf.Tensor | undefined, scale: number): { value?: number; dInput?: TensorData } {
  const { input, batch } = saved.get(mb)!;
  const withInput = input !== undefined;
  const f = (...ts: tf.Tensor[]) => {
    const p = Object.fromEntries(names.map((n, i) => [n, ts[i]]));
    const out = model.forward(data.stage, p, withInput ? ts[names.length] : undefined, batch, data.model.options);
    return (dy ? out.mul(dy).sum() : out.mul(scale)) as tf.Scalar;
  };
  const { value, grads: g } = tf.valueAndGrads(f)([...names.map((n) => params[n]), ...(withInput ? [input] : [])]);
  accumulate(Object.fromEntries(names.map((n, i) => [n, g[i]])));
  const dInput = withInput ? toTensorData(g[names.length]) : undefined;
  const loss = dy ? undefined : value.dataSync()[0];
  tf.dispose([value, g]);
  return { value: loss, dInput };
}

serveRequests(parentPort!, async (msg: any) => {
  const start = wallClockMs();
  const timed = (reply: Record<string, unknown>) => ({ ...reply, start, end: wallClockMs() });
  switch (msg.type) {
    case 'init': {
      const info = await selectBackend(data.backend);
      model = require(data.model.module)[data.model.export];
      if (!model || typeof model.forward !== 'function')
        throw new Error(`${data.model.module} has no PipelineModel export "${data.model.export}"`);
      return { type: 'ready', summary: info.summary };
    }
    case 'begin': {
      // This step's weights: the stage's own parameters, read from the shared buffer of all of them.
      tf.dispose(params);
      const offsets = new Map(data.layout.map((l) => [l.name, l.offset]));
      params = Object.fromEntries(
        data.ownLayout.map((s) => [
          s.name,
          tf.tensor(weights.slice(offsets.get(s.name)!, offsets.get(s.name)! + s.size), s.shape),
        ]),
      );
      return { type: 'begun' };
    }
    case 'forward': {
      const input = msg.input ? fromTensorData(msg.input) : undefined;
      const batch = toBatch(msg.batch);
      saved.set(msg.mb, { input, batch });
      const out = model.forward(data.stage, params, input, batch, data.model.options);
      const output = toTensorData(out);
      out.dispose();
      return timed({ type: 'forward', output });
    }
    case 'forwardBackward': {
      // The last stage: loss of this micro-batch, weighted by its share of the batch, then straight back.
      saved.set(msg.mb, { input: fromTensorData(msg.input), batch: toBatch(msg.batch) });
      const r = stageGradients(msg.mb, undefined, msg.weight);
      release(msg.mb);
      return timed({ type: 'forwardBackward', loss: r.value, dInput: r.dInput });
    }
    case 'backward': {
      const dy = fromTensorData(msg.dOutput);
      const r = stageGradients(msg.mb, dy, 1);
      dy.dispose();
      release(msg.mb);
      return timed({ type: 'backward', dInput: r.dInput });
    }
    case 'collect': {
      writeNamed(accumulated, data.ownLayout, grads);
      tf.dispose(accumulated);
      accumulated = {};
      tf.dispose(params);
      params = {};
      return { type: 'collected', tensors: tf.memory().numTensors };
    }
    default:
      throw new Error(`unknown request "${msg.type}"`);
  }
});

function release(mb: number): void {
  const s = saved.get(mb);
  if (s) tf.dispose([s.input ?? [], s.batch]);
  saved.delete(mb);
}
