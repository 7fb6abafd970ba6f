import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PipelineParallel,
  bubbleFraction,
  disposeNamed,
  gpipeSchedule,
  gptPipeline,
  gptPipelineRef,
  gptShardLoss,
  initGPT,
  shardGradients,
  tf,
  type GPTConfig,
  type NamedTensors,
} from '@how-llms-work/lib';

const config: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };

function batchOf(B: number, seed: number): NamedTensors {
  return {
    x: tf.randomUniform([B, 6], 0, 11, 'int32', seed),
    y: tf.randomUniform([B, 6], 0, 11, 'int32', seed + 1),
  };
}

describe('pipeline parallelism across two stage workers', () => {
  let pipe: PipelineParallel;
  const params = initGPT(config, 3);
  beforeAll(async () => {
    pipe = await PipelineParallel.start(params, { model: gptPipeline, ref: gptPipelineRef({ config, starts: [1] }) });
  });
  afterAll(async () => {
    await pipe?.close();
    disposeNamed(params);
  });

  it('puts the tied embedding on both ends and each block on one stage', () => {
    const o = { config, starts: [1] };
    expect(gptPipeline.usesParameter(0, 'transformer.wte.weight', o)).toBe(true);
    expect(gptPipeline.usesParameter(1, 'transformer.wte.weight', o)).toBe(true);
    expect(gptPipeline.usesParameter(0, 'transformer.h.0.attn.c_attn.weight', o)).toBe(true);
    expect(gptPipeline.usesParameter(1, 'transformer.h.0.attn.c_attn.weight', o)).toBe(false);
    expect(gptPipeline.usesParameter(1, 'transformer.ln_f.weight', o)).toBe(true);
    expect(() => gptPipeline.usesParameter(0, 'lm_head.weight', o)).toThrow(
      /does not know where parameter "lm_head.weight" belongs/,
    );
    expect(pipe.stages).toBe(2);
  });

  it('gives the same loss and gradients as the whole model in one process', async () => {
    const batch = batchOf(6, 5);
    const local = shardGradients((p, b) => gptShardLoss(p, b, config), params, batch);
    const step = await pipe.gradients(params, batch, 3);
    expect(step.loss).toBeCloseTo(local.loss.dataSync()[0], 5);
    // Counted bytes: the (B, T, C) activations forward and their gradients back at the one boundary, plus both
    // stages' copies of the tied embedding's gradient.
    expect(step.bytesBetweenStages).toBe(2 * 6 * 6 * config.nEmbd * 4 + 2 * config.vocabSize * config.nEmbd * 4);
    for (const name of Object.keys(params)) {
      const want = local.grads[name].dataSync();
      const got = step.grads[name].dataSync();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst, name).toBeLessThan(1e-5);
    }
    // 3 micro-batches × 2 stages, a forward and a backward each (the last stage's forward and backward are one event).
    expect(step.timeline.filter((e) => e.stage === 0)).toHaveLength(6);
    expect(step.timeline.filter((e) => e.stage === 1)).toHaveLength(3);
    expect(step.bubble).toBeGreaterThan(0);
    expect(step.bubble).toBeLessThan(1);
    tf.dispose([batch, local.loss, local.grads, step.grads]);
  });

  it('keeps tensors flat in the workers and here across steps', async () => {
    const counts: number[][] = [];
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) {
      const batch = batchOf(4, 10 + s);
      const step = await pipe.gradients(params, batch, 2);
      counts.push(step.workerTensors);
      tf.dispose([batch, step.grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(counts[2]).toEqual(counts[1]);
  });
});

describe('GPipe schedule on paper', () => {
  it('has the bubble (S−1)/(M+S−1) when every stage costs the same', () => {
    for (const [S, M] of [
      [2, 1],
      [2, 4],
      [4, 8],
    ]) {
      const events = gpipeSchedule(S, M, 1, 2);
      expect(events).toHaveLength(2 * S * M);
      expect(bubbleFraction(events, S)).toBeCloseTo((S - 1) / (M + S - 1), 10);
    }
    expect(() => gpipeSchedule(0, 2)).toThrow(/stages must be a positive integer, got 0/);
  });

  it('never runs a backward before its forward reached the last stage', () => {
    const events = gpipeSchedule(3, 4);
    for (const b of events.filter((e) => e.kind === 'backward')) {
      const lastForward = events.find((e) => e.kind === 'forward' && e.stage === 2 && e.microbatch === b.microbatch)!;
      expect(b.start).toBeGreaterThanOrEqual(lastForward.end);
    }
  });
});
