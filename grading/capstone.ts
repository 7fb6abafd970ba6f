/**
 * The capstone: a GPT made of the learner's own pieces trains on Tiny Shakespeare.
 *   chapter 5  causalSelfAttention   (exercises/ch05-attention/self-attention.ts)
 *   chapter 6  gptForward            (exercises/ch06-transformer/gpt-forward.ts), calling the learner's attention
 *   chapter 7  adamwStep, trainStep  (exercises/ch07-pretraining/adamw.ts, train-step.ts), trainStep calling adamwStep
 * The learner's code trains the parameters; the library judges them: the validation loss is computed with the
 * library's gptForward on fixed held-out batches, so a model that cheats (a missing causal mask lets position t read
 * token t + 1 while training) is scored as the honest model it is not. It passes when that loss falls below
 * CAPSTONE.threshold, which the solutions reach with a margin and a subtly wrong piece does not (no bias correction,
 * no causal mask: test/grading/capstone.test.ts runs both).
 * `npm run check -- capstone` runs it on exercises/; the chapter 7 notebook's last section draws the learner's curve
 * beside the library's.
 */
import * as path from 'node:path';
import {
  adamwStep as libraryAdamwStep,
  CharTokenizer,
  clipScale,
  createAdamW,
  crossEntropy,
  disposeAdamW,
  disposeNamed,
  gptForward as libraryGptForward,
  initGPT,
  lossAndGrads,
  loadText,
  ready,
  Rng,
  sampleLMBatch,
  selfAttention,
  splitTokenIds,
  tf,
  type AdamWState,
  type GPTConfig,
  type LMBatch,
  type NamedTensors,
  type Params,
} from '@how-llms-work/lib';

/** A causal attention layer (chapter 5): parameters under prefix, x (B, T, C) → (B, T, C). */
export type AttentionLayer = (params: Params, prefix: string, x: tf.Tensor3D, nHead: number) => tf.Tensor3D;
/** An optimizer step with the library's adamwStep signature (chapter 7). */
export type OptimizerStep = (state: AdamWState, params: Params, grads: NamedTensors, lr: number) => void;

/** The four pieces the capstone assembles. */
export interface CapstonePieces {
  causalSelfAttention: AttentionLayer;
  gptForward: (params: Params, config: GPTConfig, ids: tf.Tensor2D, attention: AttentionLayer) => tf.Tensor3D;
  adamwStep: OptimizerStep;
  trainStep: (
    params: Params,
    state: AdamWState,
    lossFn: () => tf.Scalar,
    options: { lr: number; clipNorm: number; optimizerStep?: OptimizerStep },
  ) => number;
}

/**
 * The run: a small character GPT, a constant learning rate with no warm-up (warm-up would hide a missing bias
 * correction: Adam's first steps are where it matters), β2 = 0.999 as in the AdamW paper.
 */
export const CAPSTONE = {
  model: { blockSize: 32, nLayer: 2, nHead: 4, nEmbd: 64 },
  batchSize: 16,
  steps: 150,
  lr: 4e-3,
  beta1: 0.9,
  beta2: 0.999,
  weightDecay: 0.1,
  clipNorm: 1,
  evalEvery: 25,
  evalBatches: 8,
  seed: 1337,
  /** Validation loss (nats per character) to beat; log 65 ≈ 4.17 is a model that knows nothing. */
  threshold: 2.75,
};

/** What a capstone run measured. */
export interface CapstoneResult {
  /** Validation loss (library forward, fixed batches) at step 0, every evalEvery steps, and at the end. */
  curve: { step: number; valLoss: number }[];
  /** The training loss trainStep returned at every step. */
  trainLosses: number[];
  finalValLoss: number;
  threshold: number;
  passed: boolean;
  /** Why it failed, in words for the learner. */
  reason?: string;
  elapsedMs: number;
}

/** The library's own pieces (the reference curve), with a trainStep built from lossAndGrads, clipScale and adamwStep. */
export const LIBRARY_PIECES: CapstonePieces = {
  causalSelfAttention: (params, prefix, x, nHead) => selfAttention(params, prefix, x, { nHead, causal: true }),
  gptForward: (params, config, ids) => libraryGptForward(params, config, ids),
  adamwStep: (state, params, grads, lr) => libraryAdamwStep(state, params, grads, lr),
  trainStep: (params, state, lossFn, o) => {
    const { loss, grads } = lossAndGrads(lossFn, params);
    const { scale, norm } = clipScale(grads, o.clipNorm);
    const clipped = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, g.mul(scale)])));
    (o.optimizerStep ?? libraryAdamwStep)(state, params, clipped, o.lr);
    const value = loss.dataSync()[0];
    tf.dispose([loss, scale, norm, ...Object.values(grads), ...Object.values(clipped)]);
    return value;
  },
};

/**
 * Load the pieces from a folder shaped like exercises/ (the learner's, or solutions/). `load` imports one file
 * (default: dynamic import, as under tsx and vitest; a notebook passes a require with tsx registered).
 */
export async function loadPieces(
  exercisesDir: string,
  load: (file: string) => unknown = (file) => import(file),
): Promise<CapstonePieces> {
  const from = async (rel: string) => (await load(path.resolve(exercisesDir, rel))) as Record<string, unknown>;
  const [attention, forward, adamw, step] = await Promise.all([
    from('ch05-attention/self-attention.ts'),
    from('ch06-transformer/gpt-forward.ts'),
    from('ch07-pretraining/adamw.ts'),
    from('ch07-pretraining/train-step.ts'),
  ]);
  return {
    causalSelfAttention: attention.causalSelfAttention as CapstonePieces['causalSelfAttention'],
    gptForward: forward.gptForward as CapstonePieces['gptForward'],
    adamwStep: adamw.adamwStep as CapstonePieces['adamwStep'],
    trainStep: step.trainStep as CapstonePieces['trainStep'],
  };
}

/** Train a GPT assembled from `pieces` on `text` (Tiny Shakespeare by default) and judge it. */
export async function runCapstone(
  pieces: CapstonePieces,
  options: { text?: string; steps?: number; onEval?: (p: { step: number; valLoss: number }) => void } = {},
): Promise<CapstoneResult> {
  const c = CAPSTONE;
  await ready(); // the course's backend (wasm with its speed patches), as the notebooks and tests use
  const started = Date.now();
  const text = options.text ?? (await loadText('tinyshakespeare'));
  const tokenizer = CharTokenizer.fromText(text);
  const config: GPTConfig = { ...c.model, vocabSize: tokenizer.vocabSize };
  const split = splitTokenIds(tokenizer.encode(text), { val: 0.1 });
  const params = initGPT(config, c.seed);
  const state = createAdamW(params, { beta1: c.beta1, beta2: c.beta2, weightDecay: c.weightDecay });
  const evalRng = new Rng(c.seed + 1);
  const valBatches: LMBatch[] = Array.from({ length: c.evalBatches }, () =>
    sampleLMBatch(split.val, c.batchSize, config.blockSize, evalRng),
  );
  const curve: CapstoneResult['curve'] = [];
  const trainLosses: number[] = [];
  const steps = options.steps ?? c.steps;
  const rng = new Rng(c.seed);
  const evaluate = (step: number) => {
    const valLoss = tf.tidy(
      () =>
        tf
          .addN(valBatches.map((b) => crossEntropy(libraryGptForward(params, config, b.x), b.y)))
          .div(valBatches.length)
          .dataSync()[0],
    );
    curve.push({ step, valLoss });
    options.onEval?.({ step, valLoss });
  };
  const finish = (passed: boolean, reason?: string): CapstoneResult => {
    disposeNamed(params);
    disposeAdamW(state);
    for (const b of valBatches) tf.dispose([b.x, b.y]);
    const finalValLoss = curve.at(-1)?.valLoss ?? NaN;
    return {
      curve,
      trainLosses,
      finalValLoss,
      threshold: c.threshold,
      passed,
      reason,
      elapsedMs: Date.now() - started,
    };
  };
  try {
    evaluate(0);
    for (let step = 0; step < steps; step++) {
      const batch = sampleLMBatch(split.train, c.batchSize, config.blockSize, rng);
      const lossFn = () =>
        crossEntropy(pieces.gptForward(params, config, batch.x, pieces.causalSelfAttention), batch.y);
      const loss = pieces.trainStep(params, state, lossFn, {
        lr: c.lr,
        clipNorm: c.clipNorm,
        optimizerStep: pieces.adamwStep,
      });
      tf.dispose([batch.x, batch.y]);
      trainLosses.push(loss);
      if (!Number.isFinite(loss)) return finish(false, `the training loss became ${loss} at step ${step}`);
      if ((step + 1) % c.evalEvery === 0 || step + 1 === steps) {
        evaluate(step + 1);
        await new Promise((resolve) => setImmediate(resolve)); // let a notebook redraw
      }
    }
  } catch (error) {
    return finish(false, `your code threw: ${(error as Error).message}`);
  }
  const final = curve.at(-1)!.valLoss;
  if (final < c.threshold) return finish(true);
  const trainFinal = trainLosses.at(-1)!;
  const hint =
    trainFinal < final - 0.5
      ? ` while your training loss reached ${trainFinal.toFixed(3)}: the model learned something that does not hold on honest, causal text (is the causal mask missing?)`
      : ' (check adamwStep against its tests: bias correction, decay; and trainStep: clipping)';
  return finish(false, `validation loss ${final.toFixed(3)} did not fall below ${c.threshold}${hint}`);
}
