import { describe, expect, it } from 'vitest';
import {
  applyMasks,
  crossEntropy,
  denseBytes,
  disposeAdamW,
  disposeNamed,
  distillGPT,
  distillTrainingLoss,
  distillationLoss,
  evaluateVariant,
  fixedEvalBatches,
  gptForward,
  initGPT,
  mlpNeuronMasks,
  shrinkMlpNeurons,
  sparseBytes,
  tf,
  type GPTConfig,
  type Params,
} from '@how-llms-work/lib';

const config: GPTConfig = { vocabSize: 12, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };
const ids = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 3)) % 12);

describe('shrinking pruned MLP neurons', () => {
  it('cuts the zero neurons out and computes the same logits with smaller matrices', () => {
    const params = initGPT(config, 1);
    const masks = mlpNeuronMasks(params, config, 0.5);
    applyMasks(params, masks);
    const small = shrinkMlpNeurons(params, config);
    expect(small['transformer.h.0.mlp.c_fc.weight'].shape).toEqual([16, 8]);
    expect(small['transformer.h.0.mlp.c_fc.bias'].shape).toEqual([16]);
    expect(small['transformer.h.1.mlp.c_proj.weight'].shape).toEqual([8, 16]);
    expect(Object.keys(small)).toEqual(Object.keys(params));
    const x = tf.tensor2d([[1, 5, 3, 0, 2]], [1, 5], 'int32');
    const a = gptForward(params, config, x);
    const b = gptForward(small as Params, config, x);
    expect(tf.max(tf.abs(a.sub(b))).dataSync()[0]).toBeLessThan(1e-6);
    expect(denseBytes(small)).toBe(denseBytes(params) - 4 * 2 * (16 * 8 * 2 + 16));
    tf.dispose([masks, small, x, a, b]);
    disposeNamed(params);
  });

  it('stores zeros sparsely only where that is smaller', () => {
    const p = { a: tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), b: tf.tensor1d([1, 2, 3]) };
    expect(sparseBytes(p)).toBe(2 + 4 + 12);
    expect(denseBytes(p)).toBe(52);
    tf.dispose(p);
  });
});

describe('distillation training', () => {
  it('trains on the distillation loss and evaluates on plain cross-entropy', () => {
    const teacher = { params: initGPT(config, 2), config };
    const student = initGPT({ ...config, nEmbd: 4 }, 3);
    const sConfig = { ...config, nEmbd: 4 };
    const [batch] = fixedEvalBatches(ids, { batches: 1, batchSize: 2, blockSize: 8 });
    const loss = distillTrainingLoss(teacher, sConfig, 2, 0.5);
    const sl = gptForward(student, sConfig, batch.x);
    const tl = gptForward(teacher.params, config, batch.x);
    const want = distillationLoss(sl, tl, batch.y, { temperature: 2, alpha: 0.5 }).dataSync()[0];
    expect(loss(student, batch, { training: true, step: 0, seed: 1 }).dataSync()[0]).toBeCloseTo(want, 5);
    expect(loss(student, batch, { training: false, step: 0, seed: 1 }).dataSync()[0]).toBeCloseTo(
      crossEntropy(sl, batch.y).dataSync()[0],
      5,
    );
    tf.dispose([batch, sl, tl]);
    disposeNamed(teacher.params);
    disposeNamed(student);
  });

  it('runs a short distillation with the course trainer, tensors flat across steps', async () => {
    const teacher = { params: initGPT(config, 4), config };
    const counts: number[] = [];
    const run = await distillGPT({
      teacher,
      student: { ...config, nLayer: 1 },
      trainIds: ids.subarray(0, 300),
      valIds: ids.subarray(300),
      steps: 6,
      batchSize: 2,
      evalEvery: 3,
      evalIters: 1,
      logEvery: 1,
      onProgress: (p) => {
        if (p.loss !== undefined) counts.push(tf.memory().numTensors);
      },
    });
    expect(run.result.step).toBe(6);
    expect(counts).toHaveLength(6);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(Number.isFinite(run.result.evals.at(-1)!.valLoss!)).toBe(true);
    disposeNamed(run.params);
    disposeAdamW(run.result.optimizer);
    await expect(
      distillGPT({ teacher, student: { ...config, vocabSize: 5 }, trainIds: ids, valIds: ids, steps: 1 }),
    ).rejects.toThrow(/student vocabSize 5 must equal the teacher's 12/);
    disposeNamed(teacher.params);
  });
});

describe('variant report', () => {
  it('measures loss on fixed batches, size ratio and nonzeros', () => {
    const params = initGPT(config, 5);
    const batches = fixedEvalBatches(ids, { batches: 2, batchSize: 3, blockSize: 8, seed: 9 });
    const again = fixedEvalBatches(ids, { batches: 2, batchSize: 3, blockSize: 8, seed: 9 });
    expect(Array.from(again[1].x.dataSync())).toEqual(Array.from(batches[1].x.dataSync()));
    const r = evaluateVariant('fp32', params, config, batches, { bytes: 1000, referenceBytes: 4000 });
    const want = tf.tidy(
      () =>
        (crossEntropy(gptForward(params, config, batches[0].x), batches[0].y).dataSync()[0] +
          crossEntropy(gptForward(params, config, batches[1].x), batches[1].y).dataSync()[0]) /
        2,
    );
    expect(r.valLoss).toBeCloseTo(want, 5);
    expect(r.compression).toBe(4);
    expect(r.nonzero).toBeGreaterThan(0);
    expect(r.msPerBatch).toBeGreaterThan(0);
    expect(() => fixedEvalBatches(ids.subarray(0, 5), { batches: 1, batchSize: 1, blockSize: 8 })).toThrow(
      /held-out text of 5 tokens is too short for windows of 8/,
    );
    tf.dispose([batches, again]);
    disposeNamed(params);
  });
});
