import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  crossEntropy,
  disposeAdamW,
  loadCheckpoint,
  Rng,
  sampleLMBatch,
  saveCheckpoint,
  splitTokenIds,
  tf,
  train,
  type LMBatch,
  type Params,
} from '@how-llms-work/lib';

const V = 8;

// A bigram model: logits for the next token are a row of a (V, V) table plus a bias. Small enough to train in milliseconds.
function bigram(seed: number): Params {
  const rng = new Rng(seed);
  return {
    'wte.weight': tf.variable(tf.randomNormal([V, V], 0, 0.1, 'float32', rng.seed())),
    'head.bias': tf.variable(tf.zeros([V])),
  };
}

const bigramLoss = (p: Params, b: LMBatch) =>
  tf.tidy(() => crossEntropy(tf.gather(p['wte.weight'], b.x).add(p['head.bias']), b.y)); // (B, T, V) vs (B, T)

// A stream where each token mostly follows its predecessor by +1 (mod V): learnable, with noise.
function stream(n: number, seed: number, step = 1): number[] {
  const rng = new Rng(seed);
  const ids = [0];
  for (let i = 1; i < n; i++) ids.push(rng.next() < 0.9 ? (ids[i - 1] + step) % V : rng.int(V));
  return ids;
}

function setup(seed = 1, step = 1) {
  const split = splitTokenIds(stream(4000, 3, step), { val: 0.2 });
  return {
    trainBatch: (rng: Rng) => sampleLMBatch(split.train, 8, 16, rng),
    valBatch: (rng: Rng) => sampleLMBatch(split.val, 8, 16, rng),
    params: bigram(seed),
  };
}

describe('trainer', () => {
  it('drives the loss well below log(V) and reports progress', async () => {
    const s = setup();
    const seen: number[] = [];
    const r = await train({
      ...s,
      loss: bigramLoss,
      steps: 120,
      lr: 0.05,
      evalEvery: 40,
      logEvery: 10,
      onProgress: (p) => p.loss !== undefined && seen.push(p.step),
    });
    expect(r.evals[0].trainLoss).toBeGreaterThan(Math.log(V) - 0.1);
    expect(r.evals.at(-1)!.valLoss!).toBeLessThan(0.8);
    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(r.losses).toHaveLength(12);
    expect(r.step).toBe(120);
    disposeAdamW(r.optimizer);
    tf.dispose(Object.values(s.params));
  });

  it('gives the same losses for the same seed, different ones for another', async () => {
    const run = async (seed: number) => {
      const s = setup(1);
      const r = await train({ ...s, loss: bigramLoss, steps: 30, lr: 0.05, evalEvery: 10, logEvery: 5, seed });
      disposeAdamW(r.optimizer);
      tf.dispose(Object.values(s.params));
      return r.losses.map((l) => l.loss);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('keeps tf.memory().numTensors flat across steps', async () => {
    const s = setup();
    const counts: number[] = [];
    const r = await train({
      ...s,
      loss: bigramLoss,
      steps: 60,
      lr: 0.01,
      evalEvery: 20,
      logEvery: 5,
      onProgress: (p) => p.loss !== undefined && counts.push(tf.memory().numTensors),
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    disposeAdamW(r.optimizer);
    tf.dispose(Object.values(s.params));
  });

  it('leaves frozen parameters unchanged and trains the rest', async () => {
    const s = setup();
    const before = { w: s.params['wte.weight'].dataSync().slice(), b: s.params['head.bias'].dataSync().slice() };
    const r = await train({ ...s, loss: bigramLoss, steps: 10, lr: 0.05, frozen: ['head.*'] });
    expect(Array.from(s.params['head.bias'].dataSync())).toEqual(Array.from(before.b));
    expect(Array.from(s.params['wte.weight'].dataSync())).not.toEqual(Array.from(before.w));
    await expect(train({ ...s, loss: bigramLoss, steps: 1, lr: 0.05, frozen: ['blocks.*'] })).rejects.toThrow(
      /"blocks.\*" matches no parameter/,
    );
    disposeAdamW(r.optimizer);
    tf.dispose(Object.values(s.params));
  });

  it('stops early when the validation loss stops improving', async () => {
    const s = setup();
    // A learning rate of 0 cannot improve anything: patience 2 stops at the third evaluation.
    const r = await train({ ...s, loss: bigramLoss, steps: 100, lr: 0, evalEvery: 5, earlyStop: { patience: 2 } });
    expect(r.stoppedEarly).toBe(true);
    expect(r.stopReason).toBe('early-stop');
    expect(r.evals).toHaveLength(3);
    expect(r.step).toBe(10);
    disposeAdamW(r.optimizer);
    tf.dispose(Object.values(s.params));
  });

  it('stops at a wall-time budget and still evaluates the final model', async () => {
    const s = setup();
    const r = await train({
      ...s,
      loss: bigramLoss,
      steps: 1_000_000,
      lr: 0.01,
      evalEvery: 1_000_000,
      timeLimitMs: 200,
    });
    expect(r.stopReason).toBe('time-limit');
    expect(r.step).toBeLessThan(1_000_000);
    expect(r.evals.at(-1)!.step).toBe(r.step);
    disposeAdamW(r.optimizer);
    tf.dispose(Object.values(s.params));
  });
});

describe('checkpoints', () => {
  it('save atomically and load back bit-identically, optimizer and metadata included', async () => {
    const s = setup();
    const r = await train({ ...s, loss: bigramLoss, steps: 20, lr: 0.05 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
    const file = path.join(dir, 'nested', 'bigram.ckpt');
    const meta = { tokenizer: { kind: 'char', vocab: 'abcdefgh' } };
    await saveCheckpoint(file, {
      config: { vocabSize: V },
      params: s.params,
      optimizer: r.optimizer,
      step: r.step,
      meta,
    });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['bigram.ckpt']); // no temp file left behind
    const back = loadCheckpoint<{ vocabSize: number }, typeof meta>(file);
    expect(back.config).toEqual({ vocabSize: V });
    expect(back.meta).toEqual(meta);
    expect(back.step).toBe(20);
    expect(Object.keys(back.params)).toEqual(Object.keys(s.params));
    const bytes = (t: tf.Tensor) => {
      const a = t.dataSync() as Float32Array;
      return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    };
    for (const name of Object.keys(s.params)) {
      expect(bytes(back.params[name]).equals(bytes(s.params[name]))).toBe(true);
      expect(bytes(back.optimizer!.m[name]).equals(bytes(r.optimizer.m[name]))).toBe(true);
      expect(bytes(back.optimizer!.v[name]).equals(bytes(r.optimizer.v[name]))).toBe(true);
    }
    expect(back.optimizer!.step).toBe(r.optimizer.step);
    expect(back.optimizer!.decayed).toEqual(r.optimizer.decayed);

    // Resuming from the checkpoint continues exactly as the original run would have.
    const more = {
      loss: bigramLoss,
      steps: 5,
      lr: 0.05,
      startStep: 20,
      trainBatch: s.trainBatch,
      valBatch: s.valBatch,
      logEvery: 1,
    };
    const cont = await train({ ...more, params: s.params, optimizer: r.optimizer });
    const resumed = await train({ ...more, params: back.params, optimizer: back.optimizer });
    expect(resumed.losses).toEqual(cont.losses);

    fs.writeFileSync(file, 'not a checkpoint');
    expect(() => loadCheckpoint(file)).toThrow(/not a how-llms-work checkpoint/);
    expect(() => loadCheckpoint(path.join(dir, 'missing.ckpt'))).toThrow(/no checkpoint at .*missing.ckpt/);
    fs.rmSync(dir, { recursive: true });
    disposeAdamW(r.optimizer);
    disposeAdamW(back.optimizer!);
    tf.dispose([...Object.values(s.params), ...Object.values(back.params)]);
  });

  it('fine-tune a loaded checkpoint on new data with a frozen layer', async () => {
    const s = setup();
    const r = await train({ ...s, loss: bigramLoss, steps: 80, lr: 0.05 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
    const file = path.join(dir, 'base.ckpt');
    await saveCheckpoint(file, { config: {}, params: s.params, optimizer: r.optimizer, step: r.step });
    const base = loadCheckpoint(file);
    const shifted = setup(1, 3); // new "domain": tokens now follow by +3
    const biasBefore = base.params['head.bias'].dataSync().slice();
    const ft = await train({
      params: base.params,
      loss: bigramLoss,
      trainBatch: shifted.trainBatch,
      valBatch: shifted.valBatch,
      steps: 80,
      lr: 0.05,
      frozen: ['head.bias'],
    });
    expect(ft.evals.at(-1)!.valLoss!).toBeLessThan(ft.evals[0].valLoss! - 1);
    expect(Array.from(base.params['head.bias'].dataSync())).toEqual(Array.from(biasBefore));
    fs.rmSync(dir, { recursive: true });
    for (const o of [r.optimizer, ft.optimizer]) disposeAdamW(o);
    tf.dispose([...Object.values(s.params), ...Object.values(base.params), ...Object.values(shifted.params)]);
  });
});
