/**
 * A data-parallel training worker (gpt-data-parallel.ts starts N of them): it holds a whole copy of a GPT and its
 * AdamW state on its own backend. A step starts with `grads`, which computes the loss and gradients of this worker's
 * shard of the batch and writes them into its shared buffer. Then, once every worker has written, one of two updates:
 * - replicated (`apply`): every worker averages all the buffers in worker order (so every worker computes the same
 *   floats), clips and takes the whole AdamW step; identical updates of identical weights keep the copies bit for bit
 *   equal without sending any weights;
 * - sharded (`reduce`, then `update`): each worker averages only its own share of the parameters and reports that
 *   share's sum of squares; with every share's sum, each computes the same global norm, takes the AdamW step of its
 *   share alone and writes those weights to shared memory, from where the others copy them before their next use
 *   (ZeRO's first stage: each worker's update work is 1/N of the model's).
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
import { assignNamed, layoutSize, readNamed, writeNamed, type Slot } from './tensor-transfer';
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
  /** Sharded update: the slots [from, to) of gradLayout this worker updates. */
  own: [number, number];
  /** Sharded update: each worker's sum of squares of its share of the averaged gradient (N float64). */
  partials: SharedArrayBuffer;
}

const data = workerData as TrainWorkerData;
const floats = layoutSize(data.layout);
const state = new Float32Array(data.state); // (3 · floats): weights, m, v
const gradViews = data.grads.map((b) => new Float32Array(b)); // one (gradFloats) per worker
const mine = gradViews[data.index];
const mean = new Float32Array(layoutSize(data.gradLayout)); // the averaged gradient, this worker's own copy
const trainable = data.gradLayout.map((s) => s.name);
const slotOf = new Map(data.layout.map((s) => [s.name, s]));
const own = data.gradLayout.slice(data.own[0], data.own[1]); // the sharded update's share
const ownNames = new Set(own.map((s) => s.name));
const partials = new Float64Array(data.partials); // (N)
/** Weights the other workers updated (sharded) that this one has not copied in yet. */
let stale: Slot[] = [];

let params: Params = {};
let optimizer: AdamWState | undefined;

/** Set the weights (and AdamW's moments and step count) from the state buffer. */
function load(step: number): void {
  [params, optimizer!.m, optimizer!.v].forEach((target, part) =>
    assignNamed(target, data.layout, state.subarray(part * floats)),
  );
  optimizer!.step = step;
}

/** Write the weights (with `weights`) and AdamW's m and v of the parameters in `moments` into the state buffer. */
function save(weights: boolean, moments: Slot[]): void {
  if (weights) writeNamed(params, data.layout, state.subarray(0, floats));
  for (const s of moments) {
    const at = slotOf.get(s.name)!;
    state.set(optimizer!.m[s.name].dataSync() as Float32Array, floats + at.offset);
    state.set(optimizer!.v[s.name].dataSync() as Float32Array, 2 * floats + at.offset);
  }
}

/** Copy in the weights the other workers updated (sharded update) since this worker last used them. */
function gather(): void {
  assignNamed(
    params,
    stale.map((s) => slotOf.get(s.name)!),
    state,
  );
  stale = [];
}

/** Tensors of the averaged gradient's slots, views of `mean` (the backend copies them in; disposed before the next average). */
function meanTensors(slots: Slot[]): NamedTensors {
  const grads: NamedTensors = {};
  for (const s of slots) grads[s.name] = tf.tensor(mean.subarray(s.offset, s.offset + s.size), s.shape);
  return grads;
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
      const zeros = readNamed(data.layout, new Float32Array(floats));
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
      gather();
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
      const grads = meanTensors(data.gradLayout);
      // Clipping goes into AdamW as a factor (no scaled copy of each gradient), as the one-process trainer does it.
      const { scale, norm } = clipScale(grads, data.clipNorm);
      adamwStep(optimizer!, params, grads, msg.lr as number, { gradScale: scale });
      const gradNorm = norm.dataSync()[0];
      tf.dispose([scale, norm, grads]);
      return { type: 'applied', gradNorm, tensors: tf.memory().numTensors, ms: performance.now() - start };
    }
    case 'reduce': {
      // This worker's share of the average, and its sum of squares for the global norm.
      const start = performance.now();
      let squares = 0;
      if (own.length > 0) {
        const [from, to] = [own[0].offset, own[own.length - 1].offset + own[own.length - 1].size];
        const share = mean.subarray(from, to);
        weightedSumInto(
          share,
          gradViews.map((g) => g.subarray(from, to)),
          msg.weights as number[],
        );
        for (let i = 0; i < share.length; i++) squares += share[i] * share[i];
      }
      partials[data.index] = squares;
      return { type: 'reduced', ms: performance.now() - start };
    }
    case 'update': {
      // Every share's sum of squares, added in worker order: the same norm and clip factor in every worker.
      const start = performance.now();
      let total = 0;
      for (let k = 0; k < partials.length; k++) total += partials[k];
      const gradNorm = Math.sqrt(total);
      const factor = data.clipNorm === Infinity ? 1 : data.clipNorm / Math.max(gradNorm, data.clipNorm);
      const grads = meanTensors(own);
      const scale = tf.scalar(factor);
      adamwStep(optimizer!, params, grads, msg.lr as number, { gradScale: scale });
      writeNamed(
        Object.fromEntries(own.map((s) => [s.name, params[s.name]])),
        own.map((s) => slotOf.get(s.name)!),
        state,
      );
      tf.dispose([scale, grads]);
      stale = data.gradLayout.filter((s) => !ownNames.has(s.name));
      return { type: 'updated', gradNorm, tensors: tf.memory().numTensors, ms: performance.now() - start };
    }
    case 'loss': {
      gather();
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
      gather();
      // Sharded, a worker's moments are current only for its own share.
      const moments = msg.moments ? (msg.sharded ? own : data.layout) : [];
      save(msg.weights as boolean, moments);
      return { type: 'saved', step: optimizer!.step };
    }
    default:
      throw new Error(`unknown request "${msg.type}"`);
  }
});
