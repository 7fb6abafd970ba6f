/**
 * Pipeline (model) parallelism: the layers are split into consecutive stages, one worker each, and
 * activations flow from stage to stage. A batch is cut into micro-batches so that stage 0 can start on
 * micro-batch 2 while stage 1 works on micro-batch 1 (GPipe, Huang et al. 2019). At the start and end
 * of a step some stages have nothing to do: the bubble, a fraction (S−1)/(M+S−1) of the step for
 * S stages and M micro-batches of equal cost.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ready, type BackendName } from '../runtime';
import type { NamedTensors, Params } from '../model/params';
import {
  payloadBytes,
  readNamed,
  splitBatch,
  toTensorData,
  writeNamed,
  layoutOf,
  layoutSize,
  type Slot,
  type TensorData,
} from './tensor-transfer';
import { LibraryWorker, siblingModule, threadsPerWorker, wallClockMs, type ModuleRef } from './worker-pool';
import type { PipelineModel } from './pipeline-model';

/** One block of work on the timeline: stage, micro-batch, forward or backward, start and end in ms from the step's start. */
export interface PipelineEvent {
  stage: number;
  microbatch: number;
  kind: 'forward' | 'backward';
  start: number;
  end: number;
}

/** One pipeline step's result. */
export interface PipelineStep {
  loss: number;
  /** Gradients of the batch's mean loss, named like the parameters (the caller disposes them). */
  grads: NamedTensors;
  timeline: PipelineEvent[];
  wallMs: number;
  /** Fraction of stage-time spent idle during the step. */
  bubble: number;
  /** Live tensors in each stage worker after the step. */
  workerTensors: number[];
  /**
   * Bytes that crossed stage boundaries: activations forward, their gradients back (counted from the messages), and
   * the gradients of parameters two stages share (the tied embedding), which are summed between them.
   */
  bytesBetweenStages: number;
}

/** A pipeline of stage workers for one model. */
export class PipelineParallel {
  private constructor(
    private readonly workers: LibraryWorker[],
    private readonly layout: Slot[],
    private readonly ownLayouts: Slot[][],
    private readonly weights: Float32Array,
    private readonly grads: Float32Array[],
    readonly backends: string[],
  ) {}

  /**
   * Start one worker per stage of `model`, each holding only its stage's parameters. Workers load the
   * same model from `ref` (the module that exports it, its export name and options).
   */
  static async start(
    params: Params | NamedTensors,
    opts: { model: PipelineModel; ref: ModuleRef; backend?: BackendName; threads?: number },
  ): Promise<PipelineParallel> {
    const { model, ref } = opts;
    const S = model.stages(ref.options);
    const backend = opts.backend ?? (await ready()).name;
    const layout = layoutOf(params);
    const weights = new SharedArrayBuffer(layoutSize(layout) * 4);
    const ownLayouts = Array.from({ length: S }, (_, k) =>
      layoutOf(Object.fromEntries(Object.entries(params).filter(([n]) => model.usesParameter(k, n, ref.options)))),
    );
    const unused = Object.keys(params).filter((n) => !ownLayouts.some((l) => l.some((s) => s.name === n)));
    if (unused.length) throw new Error(`no pipeline stage uses ${unused.join(', ')}: check the model's usesParameter`);
    const gradBuffers = ownLayouts.map((l) => new SharedArrayBuffer(Math.max(layoutSize(l), 1) * 4));
    const workers = ownLayouts.map(
      (ownLayout, stage) =>
        new LibraryWorker(
          siblingModule('stage-worker'),
          { backend, model: ref, stage, last: stage === S - 1, layout, ownLayout, weights, grads: gradBuffers[stage] },
          [ref.module],
          opts.threads ?? threadsPerWorker(S),
        ),
    );
    try {
      const replies = await Promise.all(
        workers.map((w) => w.request<{ type: string; summary: string }>({ type: 'init' })),
      );
      return new PipelineParallel(
        workers,
        layout,
        ownLayouts,
        new Float32Array(weights),
        gradBuffers.map((b) => new Float32Array(b)),
        replies.map((r) => r.summary),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  /** Number of stages. */
  get stages(): number {
    return this.workers.length;
  }

  /** Loss and gradients of `batch` (B rows) pushed through the stages as `microbatches` micro-batches. */
  async gradients(params: Params | NamedTensors, batch: NamedTensors, microbatches: number): Promise<PipelineStep> {
    const t0 = wallClockMs();
    writeNamed(params, this.layout, this.weights);
    await Promise.all(this.workers.map((w) => w.request({ type: 'begin' })));
    const { shards, sizes } = splitBatch(batch, microbatches);
    const B = sizes.reduce((a, b) => a + b, 0);
    const data = shards.map((s) => Object.fromEntries(Object.entries(s).map(([k, t]) => [k, toTensorData(t)])));
    shards.forEach((s) => tf.dispose(s));
    const timeline: PipelineEvent[] = [];
    const S = this.workers.length;
    type Timed = { start: number; end: number };
    const record = (stage: number, microbatch: number, kind: PipelineEvent['kind'], r: Timed) =>
      timeline.push({ stage, microbatch, kind, start: r.start - t0, end: r.end - t0 });
    let loss = 0;
    let bytesBetweenStages = 0;
    // Each micro-batch walks forward through the stages and back; workers serve requests in arrival order,
    // so stage 0 runs every forward before any backward: the GPipe schedule.
    const run = async (mb: number) => {
      let input: TensorData | undefined;
      for (let k = 0; k < S - 1; k++) {
        const r = await this.workers[k].request<Timed & { type: string; output: TensorData }>({
          type: 'forward',
          mb,
          input,
          batch: data[mb],
        });
        record(k, mb, 'forward', r);
        bytesBetweenStages += payloadBytes(r.output);
        input = r.output;
      }
      const last = await this.workers[S - 1].request<Timed & { type: string; loss: number; dInput?: TensorData }>({
        type: 'forwardBackward',
        mb,
        input: input ?? null,
        batch: data[mb],
        weight: sizes[mb] / B,
      });
      record(S - 1, mb, 'backward', last);
      loss += last.loss;
      bytesBetweenStages += payloadBytes(last.dInput);
      let d = last.dInput;
      for (let k = S - 2; k >= 0; k--) {
        const r = await this.workers[k].request<Timed & { type: string; dInput?: TensorData }>({
          type: 'backward',
          mb,
          dOutput: d,
        });
        record(k, mb, 'backward', r);
        if (k > 0) bytesBetweenStages += payloadBytes(r.dInput);
        d = r.dInput;
      }
    };
    await Promise.all(sizes.map((_, mb) => run(mb)));
    const collected = await Promise.all(
      this.workers.map((w) => w.request<{ type: string; tensors: number }>({ type: 'collect' })),
    );
    const grads = this.sumStageGradients();
    const wallMs = wallClockMs() - t0;
    return {
      loss,
      grads,
      timeline,
      wallMs,
      bubble: bubbleFraction(timeline, S),
      workerTensors: collected.map((c) => c.tensors),
      bytesBetweenStages: bytesBetweenStages + this.sharedGradientBytes(),
    };
  }

  /** Bytes of gradient that stages sharing a parameter exchange: every copy of a shared parameter's gradient. */
  private sharedGradientBytes(): number {
    const owners = new Map<string, number>();
    for (const own of this.ownLayouts) for (const s of own) owners.set(s.name, (owners.get(s.name) ?? 0) + 1);
    return this.layout.reduce((n, s) => n + ((owners.get(s.name) ?? 0) > 1 ? owners.get(s.name)! * s.size * 4 : 0), 0);
  }

  /** Each stage's gradients, summed where stages share a parameter (a tied embedding). */
  private sumStageGradients(): NamedTensors {
    const sum = new Map<string, Float32Array>();
    this.ownLayouts.forEach((own, k) => {
      for (const s of own) {
        const g = this.grads[k].subarray(s.offset, s.offset + s.size);
        const acc = sum.get(s.name);
        if (acc) for (let i = 0; i < acc.length; i++) acc[i] += g[i];
        else sum.set(s.name, Float32Array.from(g));
      }
    });
    const flat = new Float32Array(layoutSize(this.layout));
    for (const s of this.layout) flat.set(sum.get(s.name)!, s.offset);
    return readNamed(this.layout, flat);
  }

  /** Stop every stage worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Idle fraction of S stages over a timeline's span: 1 − busy / (S · span). */
export function bubbleFraction(timeline: PipelineEvent[], stages: number): number {
  if (timeline.length === 0) return 0;
  const start = Math.min(...timeline.map((e) => e.start));
  const end = Math.max(...timeline.map((e) => e.end));
  const busy = timeline.reduce((a, e) => a + (e.end - e.start), 0);
  return 1 - busy / (stages * (end - start));
}

/**
 * The GPipe schedule on paper for S stages and M micro-batches, with a forward costing `forwardMs`
 * and a backward `backwardMs` on every stage: all forwards, then all backwards in reverse.
 */
export function gpipeSchedule(stages: number, microbatches: number, forwardMs = 1, backwardMs = 2): PipelineEvent[] {
  if (!Number.isInteger(stages) || stages < 1) throw new Error(`stages must be a positive integer, got ${stages}`);
  if (!Number.isInteger(microbatches) || microbatches < 1)
    throw new Error(`microbatches must be a positive integer, got ${microbatches}`);
  const events: PipelineEvent[] = [];
  const free = new Array(stages).fill(0); // when each stage is next idle
  const ready: number[][] = []; // ready[k][m]: when micro-batch m's forward leaves stage k
  for (let k = 0; k < stages; k++) {
    ready.push([]);
    for (let m = 0; m < microbatches; m++) {
      const start = Math.max(free[k], k === 0 ? 0 : ready[k - 1][m]);
      events.push({ stage: k, microbatch: m, kind: 'forward', start, end: start + forwardMs });
      free[k] = ready[k][m] = start + forwardMs;
    }
  }
  const back: number[][] = Array.from({ length: stages }, () => []);
  for (let k = stages - 1; k >= 0; k--) {
    for (let m = microbatches - 1; m >= 0; m--) {
      const start = Math.max(free[k], k === stages - 1 ? ready[k][m] : back[k + 1][m]);
      events.push({ stage: k, microbatch: m, kind: 'backward', start, end: start + backwardMs });
      free[k] = back[k][m] = start + backwardMs;
    }
  }
  return events;
}
