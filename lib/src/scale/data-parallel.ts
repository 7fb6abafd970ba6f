/**
 * Data parallelism for real: N `worker_threads` workers each hold a replica of the model (on their own
 * backend), compute gradients on their shard of the batch, and the gradients are averaged (all-reduce)
 * before one optimizer step. The weights every worker reads sit in one SharedArrayBuffer, so a step
 * costs one write of the weights, not N copies. Averaging shard means weighted by shard size gives the
 * gradient of the combined batch's mean loss exactly, up to float rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ready, type BackendName } from '../runtime';
import type { NamedTensors, Params } from '../model/params';
import { averageArrays } from './allreduce';
import { layoutOf, layoutSize, readNamed, splitBatch, toTensorData, writeNamed, type Slot } from './tensor-transfer';
import { LibraryWorker, siblingModule, threadsPerWorker, wallClockMs, type ModuleRef } from './worker-pool';

/** One data-parallel step's result. */
export interface DataParallelStep {
  /** Mean loss over the combined batch. */
  loss: number;
  /** All-reduced gradients, same names and shapes as the parameters (the caller disposes them). */
  grads: NamedTensors;
  /** Each worker's compute time for its shard (ms). */
  workerMs: number[];
  /** Wall time of the whole step, including shipping the weights and the all-reduce (ms). */
  wallMs: number;
  /** Live tensors in each worker after its step (flat across steps when nothing leaks). */
  workerTensors: number[];
  /** Bytes of gradient the workers handed to the all-reduce: each worker's whole gradient, counted from the buffers. */
  bytesAllReduce: number;
}

/** A pool of data-parallel workers for one model (parameter names and shapes fixed at start). */
export class DataParallel {
  private constructor(
    private readonly workers: LibraryWorker[],
    private readonly layout: Slot[],
    private readonly weights: Float32Array,
    private readonly grads: Float32Array[],
    /** What each worker reported when its backend started. */
    readonly backends: string[],
  ) {}

  /**
   * Start `workers` workers for parameters shaped like `params`, each loading `task` (a ShardLoss) and `backend`
   * (default: the current one) with `threads` wasm threads (default: the cores divided among the workers).
   */
  static async start(
    params: Params | NamedTensors,
    opts: { workers: number; task: ModuleRef; backend?: BackendName; threads?: number },
  ): Promise<DataParallel> {
    const n = opts.workers;
    if (!Number.isInteger(n) || n < 1) throw new Error(`workers must be a positive integer, got ${n}`);
    const backend = opts.backend ?? (await ready()).name;
    const layout = layoutOf(params);
    const floats = layoutSize(layout);
    const weights = new SharedArrayBuffer(floats * 4);
    const gradBuffers = Array.from({ length: n }, () => new SharedArrayBuffer(floats * 4));
    const workers = gradBuffers.map(
      (grads) =>
        new LibraryWorker(
          siblingModule('shard-worker'),
          { backend, task: opts.task, layout, weights, grads },
          [opts.task.module],
          opts.threads ?? threadsPerWorker(n),
        ),
    );
    try {
      const replies = await Promise.all(
        workers.map((w) => w.request<{ type: string; summary: string }>({ type: 'init' })),
      );
      return new DataParallel(
        workers,
        layout,
        new Float32Array(weights),
        gradBuffers.map((b) => new Float32Array(b)),
        replies.map((r) => r.summary),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Loss and all-reduced gradients of `params` on `batch` (tensors with B rows each, split B/N per worker). */
  async gradients(params: Params | NamedTensors, batch: NamedTensors): Promise<DataParallelStep> {
    const start = wallClockMs();
    writeNamed(params, this.layout, this.weights);
    const { shards, sizes } = splitBatch(batch, this.workers.length);
    const messages = shards.map((shard) =>
      Object.fromEntries(Object.entries(shard).map(([k, t]) => [k, toTensorData(t)])),
    );
    shards.forEach((s) => tf.dispose(s));
    const replies = await Promise.all(
      this.workers.map((w, i) =>
        w.request<{ type: string; loss: number; start: number; end: number; tensors: number }>({
          type: 'grads',
          batch: messages[i],
        }),
      ),
    );
    // All-reduce: each shard's mean gradient counts in proportion to its examples.
    const grads = readNamed(this.layout, averageArrays(this.grads, sizes));
    const total = sizes.reduce((a, b) => a + b, 0);
    const loss = replies.reduce((acc, r, i) => acc + (r.loss * sizes[i]) / total, 0);
    return {
      loss,
      grads,
      workerMs: replies.map((r) => r.end - r.start),
      wallMs: wallClockMs() - start,
      workerTensors: replies.map((r) => r.tensors),
      bytesAllReduce: this.grads.reduce((n, g) => n + g.byteLength, 0),
    };
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
