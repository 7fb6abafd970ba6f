/**
 * Tensor parallelism for real (Megatron-LM, Shoeybi et al. 2019, section 3): a transformer MLP split across worker
 * threads. Worker w holds rows w·4C/N … of c_fc (column-parallel: its slice of the hidden features, with their
 * bias entries) and the matching columns of c_proj (row-parallel), applies GELU to its own slice, and produces a
 * partial output; one all-reduce sums the N partials and c_proj's bias is added once. The backward pass mirrors it:
 * the output's gradient goes to every worker, each returns its slice's weight gradients and a partial gradient of
 * the input, and a second all-reduce sums those. Bytes of every tensor that crosses a thread boundary are counted.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ready, type BackendName } from '../runtime';
import type { NamedTensors, Params } from '../model/params';
import { payloadBytes, toTensorData, fromTensorData, type TensorData } from './tensor-transfer';
import { LibraryWorker, siblingModule, threadsPerWorker, wallClockMs } from './worker-pool';

/** Worker w's slice of the MLP `prefix`: c_fc rows and bias entries, c_proj columns; no c_proj bias (added once). */
export function megatronMlpShards(params: Params | NamedTensors, prefix: string, workers: number): NamedTensors[] {
  const name = (p: string) => {
    const t = params[`${prefix}.${p}`];
    if (!t) throw new Error(`no parameter "${prefix}.${p}": pass the MLP's prefix, e.g. transformer.h.0.mlp`);
    return t;
  };
  const fc = name('c_fc.weight'); // (4C, C)
  const proj = name('c_proj.weight'); // (C, 4C)
  const hidden = fc.shape[0];
  if (!Number.isInteger(workers) || workers < 1 || hidden % workers !== 0)
    throw new Error(
      `${hidden} hidden features cannot be split evenly among ${workers} workers; use a divisor of ${hidden}`,
    );
  const fcRows = tf.split(fc, workers, 0); // N × (4C/N, C): column-parallel in Megatron's y = xA naming
  const projCols = tf.split(proj, workers, 1); // N × (C, 4C/N): row-parallel
  const fcBias = params[`${prefix}.c_fc.bias`];
  const biases = fcBias ? tf.split(fcBias, workers, 0) : undefined;
  return fcRows.map((rows, w) => ({
    [`${prefix}.c_fc.weight`]: rows,
    ...(biases ? { [`${prefix}.c_fc.bias`]: biases[w] } : {}),
    [`${prefix}.c_proj.weight`]: projCols[w],
  }));
}

/** One tensor-parallel MLP step: output, input gradient, the full weight gradients, and what crossed threads. */
export interface TensorParallelStep {
  /** The MLP's output (B, T, C), after the forward all-reduce and the bias. */
  output: tf.Tensor;
  /** Gradient of the loss for the input x (B, T, C), after the backward all-reduce. */
  dInput: tf.Tensor;
  /** Gradients of the loss for the MLP's parameters, reassembled from the slices and named like them. */
  grads: NamedTensors;
  loss: number;
  /** Bytes of activations sent to the workers (x forward, dy backward: every worker gets a copy). */
  bytesToWorkers: number;
  /** Bytes of partial sums the workers sent back for the two all-reduces (partial outputs, partial dx). */
  bytesAllReduce: number;
  /** Bytes of the slices' weight gradients sent back (Megatron keeps them on the worker for its optimizer). */
  bytesGradients: number;
  wallMs: number;
  /** Live tensors in each worker after the step (flat across steps when nothing leaks). */
  workerTensors: number[];
}

/** A Megatron-style MLP split across worker threads. */
export class TensorParallelMLP {
  private constructor(
    private readonly workers: LibraryWorker[],
    private readonly prefix: string,
    /** What each worker reported when its backend started. */
    readonly backends: string[],
  ) {}

  /** Start `workers` workers for the MLP `prefix` of `params` (each gets its slice) on `backend` (default: this one). */
  static async start(
    params: Params | NamedTensors,
    opts: { prefix: string; workers: number; backend?: BackendName; threads?: number },
  ): Promise<TensorParallelMLP> {
    const n = opts.workers;
    if (!Number.isInteger(n) || n < 1) throw new Error(`workers must be a positive integer, got ${n}`);
    const backend = opts.backend ?? (await ready()).name;
    const workers = Array.from(
      { length: n },
      () =>
        new LibraryWorker(
          siblingModule('tensor-worker'),
          { backend, prefix: opts.prefix },
          [],
          opts.threads ?? threadsPerWorker(n),
        ),
    );
    try {
      const replies = await Promise.all(
        workers.map((w) => w.request<{ type: string; summary: string }>({ type: 'init' })),
      );
      const tp = new TensorParallelMLP(
        workers,
        opts.prefix,
        replies.map((r) => r.summary),
      );
      await tp.load(params);
      return tp;
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Send every worker its slice of the current weights (after an optimizer step). */
  async load(params: Params | NamedTensors): Promise<void> {
    const shards = megatronMlpShards(params, this.prefix, this.workers.length);
    const data = shards.map((s) => Object.fromEntries(Object.entries(s).map(([k, t]) => [k, toTensorData(t)])));
    shards.forEach((s) => tf.dispose(s));
    await Promise.all(this.workers.map((w, i) => w.request({ type: 'load', shard: data[i] })));
  }

  /**
   * Forward and backward of the split MLP on x (B, T, C) under `loss` (a scalar function of the output, computed
   * here); `params` supplies c_proj's bias, which no worker holds. The caller disposes output, dInput and grads.
   */
  async step(
    params: Params | NamedTensors,
    x: tf.Tensor,
    loss: (y: tf.Tensor) => tf.Scalar,
  ): Promise<TensorParallelStep> {
    const t0 = wallClockMs();
    const projBias = params[`${this.prefix}.c_proj.bias`];
    const xData = toTensorData(x);
    let bytesToWorkers = this.workers.length * payloadBytes(xData);
    // Forward: every worker sees the whole input and returns its partial output; the all-reduce sums them.
    const forward = await Promise.all(
      this.workers.map((w) => w.request<{ type: string; output: TensorData }>({ type: 'forward', x: xData })),
    );
    let bytesAllReduce = forward.reduce((n, r) => n + payloadBytes(r.output), 0);
    const output = tf.tidy(() => {
      const summed = tf.addN(forward.map((r) => fromTensorData(r.output))); // (B, T, C)
      return projBias ? summed.add(projBias) : summed;
    });
    // The loss's gradient for the output, here; in a real model it comes back from the layers above.
    const { value, grad } = tf.valueAndGrad(loss)(output);
    const lossValue = value.dataSync()[0];
    const dyData = toTensorData(grad);
    bytesToWorkers += this.workers.length * payloadBytes(dyData);
    const backward = await Promise.all(
      this.workers.map((w) =>
        w.request<{ type: string; grads: Record<string, TensorData>; dInput: TensorData; tensors: number }>({
          type: 'backward',
          dOutput: dyData,
        }),
      ),
    );
    bytesAllReduce += backward.reduce((n, r) => n + payloadBytes(r.dInput), 0);
    const bytesGradients = backward.reduce((n, r) => n + payloadBytes(r.grads), 0);
    const p = this.prefix;
    const grads = tf.tidy(() => {
      const part = (name: string) => backward.map((r) => fromTensorData(r.grads[name]));
      const out: NamedTensors = {
        [`${p}.c_fc.weight`]: tf.concat(part(`${p}.c_fc.weight`), 0), // (4C, C): the slices' rows, in order
        [`${p}.c_proj.weight`]: tf.concat(part(`${p}.c_proj.weight`), 1), // (C, 4C): the slices' columns
      };
      if (backward[0].grads[`${p}.c_fc.bias`]) out[`${p}.c_fc.bias`] = tf.concat(part(`${p}.c_fc.bias`), 0);
      if (projBias) out[`${p}.c_proj.bias`] = grad.reshape([-1, grad.shape[grad.rank - 1]]).sum(0); // added once, here
      return out;
    });
    const dInput = tf.tidy(() => tf.addN(backward.map((r) => fromTensorData(r.dInput)))); // (B, T, C)
    tf.dispose([value, grad]);
    return {
      output,
      dInput,
      grads,
      loss: lossValue,
      bytesToWorkers,
      bytesAllReduce,
      bytesGradients,
      wallMs: wallClockMs() - t0,
      workerTensors: backward.map((r) => r.tensors),
    };
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
