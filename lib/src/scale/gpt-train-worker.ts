/**
 * A data-parallel training worker (gpt-data-parallel.ts starts N of them): it holds a whole copy of a GPT and its
 * AdamW state on its own backend. Each step is two requests: `grads` computes the loss and gradients of this worker's
 * shard of the batch and writes them into its shared buffer; `apply`, once every worker has written, averages all
 * the buffers in worker order (so every worker computes the same floats), clips and takes the AdamW step. Every
 * worker applies the identical update to identical weights, so the copies stay bit for bit equal without any
 * broadcast of the weights.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../runtime';
import { gptForward, type GPTConfig } from '../model/gpt';
import type { NamedTensors, Params } from '../model/params';
import { crossEntropy } from '../training/loss';
import { lossAndGrads } from '../training/gradients';
import { clipScale } from '../training/clip';
import { adamwStep, createAdamW, type AdamWState } from '../training/adamw';
import { weightedSumInto } from './allreduce';
import { layoutSize, writeNamed, type Slot } from './tensor-transfer';
import { serveRequests } from './worker-pool';

/** What each training worker is started with. */
export interface TrainWorkerData {
  backend: BackendName;
  config: GPTConfig;
  /** This worker's place in the fixed order of the average. */
  index: number;
  /** Every parameter, in the state buffer: weights, then AdamW's m, then v, each laid out like this. */
  layout: Slot[];
  /** The trainable parameters' gradients, in each gradient buffer. */
  gradLayout: Slot[];
  adamw: { beta1: number; beta2: number; eps: number; weightDecay: number; decayed: string[] };
  clipNorm: number;
  state: SharedArrayBuffer;
  grads: SharedArrayBuffer[];
}

const data = workerData as TrainWorkerData;
const floats = layoutSize(data.layout);
const state = new Float32Array(data.state); // (3 · floats): weights, m, v
const gradViews = data.grads.map((b) => new Float32Array(b)); // one (gradFloats) per worker
const mine = gradViews[data.index];
const mean = new Float32Array(layoutSize(data.gradLayout)); // the averaged gradient, this worker's own copy
const trainable = data.gradLayout.map((s) => s.name);

let params: Params = {};
let optimizer: AdamWState | undefined;

/** Named tensors of a layout read from `from` at `base` (copies). */
function readSlots(layout: Slot[], from: Float32Array, base: number): NamedTensors {
  const out: NamedTensors = {};
  for (const s of layout) out[s.name] = tf.tensor(from.slice(base + s.offset, base + s.offset + s.size), s.shape);
  return out;
}

/** Set the weights (and AdamW's moments and step count) from the state buffer. */
function load(step: number): void {
  for (const [part, target] of [
    [0, params],
    [1, optimizer!.m],
    [2, optimizer!.v],
  ] as const) {
    const values = readSlots(data.layout, state, part * floats);
    for (const s of data.layout) target[s.name].assign(values[s.name]);
    tf.dispose(values);
  }
  optimizer!.step = step;
}

/** Write the weights (and with `moments`, AdamW's m and v) into the state buffer. */
function save(moments: boolean): void {
  writeNamed(params, data.layout, state.subarray(0, floats));
  if (!moments) return;
  writeNamed(optimizer!.m, data.layout, state.subarray(floats, 2 * floats));
  writeNamed(optimizer!.v, data.layout, state.subarray(2 * floats, 3 * floats));
}

interface GradsRequest {
  type: 'grads';
  x: Int32Array;
  y: Int32Array;
  rows: number;
  seed: number;
}

serveRequests(parentPort!, async (msg: any) => {
  switch (msg.type) {
    case 'init': {
      const info = await selectBackend(data.backend);
      const zeros = readSlots(data.layout, new Float32Array(floats), 0);
      params = Object.fromEntries(Object.entries(zeros).map(([k, t]) => [k, tf.variable(t, true, `dp.${k}`)]));
      tf.dispose(zeros);
      const { decayed, ...hyper } = data.adamw;
      optimizer = createAdamW(params, hyper);
      optimizer.decayed = decayed.slice();
      load(msg.step);
      return { type: 'ready', summary: info.summary, tensors: tf.memory().numTensors };
    }
    case 'grads': {
      const start = performance.now();
      const { x, y, rows, seed } = msg as GradsRequest;
      const T = data.config.blockSize;
      const xs = tf.tensor2d(x, [rows, T], 'int32');
      const ys = tf.tensor2d(y, [rows, T], 'int32');
      const { loss, grads } = lossAndGrads(
        () => crossEntropy(gptForward(params, data.config, xs, { training: true, seed }), ys),
        params,
        trainable,
      );
      writeNamed(grads, data.gradLayout, mine);
      const value = loss.dataSync()[0];
      tf.dispose([xs, ys, loss, grads]);
      return { type: 'grads', loss: value, ms: performance.now() - start };
    }
    case 'apply': {
      const start = performance.now();
      // Every worker's gradient buffer, weighted by its rows, summed in worker order: the same floats in every worker.
      weightedSumInto(mean, gradViews, msg.weights as number[]);
      // Views of `mean`, not copies: the backend copies them in, and they are gone before the next average.
      const grads: NamedTensors = {};
      for (const s of data.gradLayout) grads[s.name] = tf.tensor(mean.subarray(s.offset, s.offset + s.size), s.shape);
      // Clipping goes into AdamW as a factor (no scaled copy of each gradient), as the one-process trainer does it.
      const { scale, norm } = clipScale(grads, data.clipNorm);
      adamwStep(optimizer!, params, grads, msg.lr as number, { gradScale: scale });
      const gradNorm = norm.dataSync()[0];
      tf.dispose([scale, norm, grads]);
      return { type: 'applied', gradNorm, tensors: tf.memory().numTensors, ms: performance.now() - start };
    }
    case 'loss': {
      // Each batch's mean loss (dropout off), summed in order: the caller divides by the number of batches.
      const T = data.config.blockSize;
      let sum = 0;
      for (const b of msg.batches as { x: Int32Array; y: Int32Array }[]) {
        const value = tf.tidy(() => {
          const xs = tf.tensor2d(b.x, [b.x.length / T, T], 'int32');
          const ys = tf.tensor2d(b.y, [b.y.length / T, T], 'int32');
          return crossEntropy(gptForward(params, data.config, xs), ys);
        });
        sum += value.dataSync()[0];
        value.dispose();
      }
      return { type: 'loss', sum };
    }
    case 'save': {
      save(msg.moments as boolean);
      return { type: 'saved', step: optimizer!.step };
    }
    default:
      throw new Error(`unknown request "${msg.type}"`);
  }
});
