import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
const tf = L.tf;

// The DPO loss and its gradient written out in float64: −log σ(m), m = β[(pw − rw) − (pl − rl)];
// ∂/∂pw = −β σ(−m) / B, ∂/∂pl = +β σ(−m) / B.
function dpoFloat64(pw: number[], pl: number[], rw: number[], rl: number[], beta: number) {
  const B = pw.length;
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  let loss = 0;
  const gw: number[] = [];
  const gl: number[] = [];
  for (let i = 0; i < B; i++) {
    const m = beta * (pw[i] - rw[i] - (pl[i] - rl[i]));
    loss += Math.log1p(Math.exp(-m)) / B;
    gw.push((-beta * sig(-m)) / B);
    gl.push((beta * sig(-m)) / B);
  }
  return { loss, gw, gl };
}

describe('DPO', () => {
  it('loss, rewards and gradient match an independent float64 formula', () => {
    const rng = new L.Rng(7);
    for (const beta of [0.05, 0.5, 3]) {
      const draw = () => Array.from({ length: 6 }, () => -10 + 8 * rng.next());
      const [pw, pl, rw, rl] = [draw(), draw(), draw(), draw()];
      const want = dpoFloat64(pw, pl, rw, rl, beta);
      const ref = [tf.tensor1d(rw), tf.tensor1d(rl)];
      const terms = L.dpoLoss(tf.tensor1d(pw), tf.tensor1d(pl), ref[0] as L.tf.Tensor1D, ref[1] as L.tf.Tensor1D, beta);
      expect(terms.loss.dataSync()[0]).toBeCloseTo(want.loss, 5);
      Array.from(terms.margins.dataSync()).forEach((m, i) =>
        expect(m).toBeCloseTo(beta * (pw[i] - rw[i] - (pl[i] - rl[i])), 4),
      );
      const grad = tf.grads(
        (a: L.tf.Tensor, b: L.tf.Tensor) =>
          L.dpoLoss(a as L.tf.Tensor1D, b as L.tf.Tensor1D, ref[0] as L.tf.Tensor1D, ref[1] as L.tf.Tensor1D, beta)
            .loss,
      );
      const [dw, dl] = grad([tf.tensor1d(pw), tf.tensor1d(pl)]);
      Array.from(dw.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(want.gw[i], 6));
      Array.from(dl.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(want.gl[i], 6));
      tf.dispose([...ref, terms.loss, terms.margins, terms.chosenRewards, terms.rejectedRewards, dw, dl]);
    }
  });

  it('stays finite for huge margins of either sign', () => {
    const t = (v: number[]) => tf.tensor1d(v);
    const terms = L.dpoLoss(t([500, -500]), t([-500, 500]), t([0, 0]), t([0, 0]), 1);
    const loss = terms.loss.dataSync()[0];
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(500, 2); // (0 + 1000) / 2
    expect(() => L.dpoLoss(t([0]), t([0]), t([0]), t([0]), 0)).toThrow(/beta/);
  });

  it('sequence log-prob sums log p(target) over counted positions only, as a float64 loop does', () => {
    const logits = tf.randomNormal([2, 4, 5], 0, 2, 'float32', 9) as L.tf.Tensor3D;
    const targets = [
      [1, -1, 3, 4],
      [-1, -1, 0, 2],
    ];
    const got = L.sequenceLogProb(logits, tf.tensor2d(targets, undefined, 'int32')).dataSync();
    const values = logits.arraySync() as number[][][];
    targets.forEach((row, b) => {
      let want = 0;
      row.forEach((t, i) => {
        if (t < 0) return;
        const z = values[b][i];
        const max = Math.max(...z);
        want += z[t] - max - Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
      });
      expect(got[b]).toBeCloseTo(want, 4);
    });
    logits.dispose();
  });

  it('training raises the margin of the pairs it sees, KL grows from zero, and no tensor leaks', async () => {
    const tok = L.ChatTokenizer.extending(L.CharTokenizer.fromText('abcd rev:'), '0123456789');
    const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 24, nLayer: 1, nHead: 2, nEmbd: 16 };
    const reference = L.initGPT(config, 5);
    const policy = L.cloneParams(reference);
    const pairs = [
      { prompt: 'rev: ab', chosen: 'ba<|end|>', rejected: 'ab<|end|>' },
      { prompt: 'rev: cd', chosen: 'dc<|end|>', rejected: 'dcdc' },
    ];
    const ref = L.pairLogProbs(reference, config, tok, pairs);
    const before = tf.memory().numTensors;
    const batch = L.preferenceBatch(pairs, tok);
    expect(L.responseKL(policy, reference, config, batch)).toBeCloseTo(0, 6);
    await L.trainDPO({
      params: policy,
      config,
      tokenizer: tok,
      pairs,
      reference: ref,
      beta: 0.5,
      batchSize: 2,
      steps: 15,
      lr: 1e-2,
      seed: 1,
    });
    const stats = L.rewardStats(L.pairLogProbs(policy, config, tok, pairs), ref, 0.5);
    expect(stats.margin).toBeGreaterThan(0.5);
    expect(stats.accuracy).toBe(1);
    expect(L.responseKL(policy, reference, config, batch)).toBeGreaterThan(1e-3);
    tf.dispose([batch.x, batch.y]);
    expect(tf.memory().numTensors).toBe(before);
    L.disposeNamed(policy);
    L.disposeNamed(reference);
  });

  it('scores and trains on replies longer than the block (a reply that never ended), cropping like generation', async () => {
    const tok = L.ChatTokenizer.extending(L.CharTokenizer.fromText('abcd rev:'), '');
    const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 10, nLayer: 1, nHead: 2, nEmbd: 16 };
    const params = L.initGPT(config, 3);
    const pairs = [{ prompt: 'rev: abcd', chosen: 'dcba<|end|>', rejected: 'dcbadcbadcba' }];
    const ref = L.pairLogProbs(params, config, tok, pairs);
    expect(Number.isFinite(ref.rejected[0])).toBe(true);
    const run = await L.trainDPO({
      params: L.cloneParams(params),
      config,
      tokenizer: tok,
      pairs,
      reference: ref,
      beta: 0.5,
      batchSize: 1,
      steps: 2,
      lr: 1e-3,
      seed: 1,
    });
    expect(run.losses.length).toBeGreaterThan(0);
    L.disposeNamed(params);
  });

  it('the batch loss is DPO on chosen-then-rejected rows, plus the weighted SFT loss of the chosen rows', () => {
    const tok = L.ChatTokenizer.extending(L.CharTokenizer.fromText('abcd rev:'), '');
    const config: L.GPTConfig = { vocabSize: tok.vocabSize, blockSize: 24, nLayer: 1, nHead: 2, nEmbd: 16 };
    const params = L.initGPT(config, 8);
    const pairs = [
      { prompt: 'rev: ab', chosen: 'ba<|end|>', rejected: 'a<|end|>' },
      { prompt: 'rev: cd', chosen: 'dc<|end|>', rejected: 'dcd' },
    ];
    const batch = L.preferenceBatch(pairs, tok);
    const ref = tf.tensor1d([-5, -6, -7, -8]);
    const value = (w: number) => tf.tidy(() => L.dpoBatchLoss(params, config, batch, ref, 0.3, w).dataSync()[0]);
    const lp = L.pairLogProbs(params, config, tok, pairs);
    const margin = (i: number) => 0.3 * (lp.chosen[i] - [-5, -6][i] - (lp.rejected[i] - [-7, -8][i]));
    expect(value(0)).toBeCloseTo((Math.log1p(Math.exp(-margin(0))) + Math.log1p(Math.exp(-margin(1)))) / 2, 4);
    const chosenTokens = 3 + 3; // 'ba<|end|>' and 'dc<|end|>'
    expect(value(2) - value(0)).toBeCloseTo((2 * -(lp.chosen[0] + lp.chosen[1])) / chosenTokens, 4);
    tf.dispose([batch.x, batch.y, ref]);
    L.disposeNamed(params);
  });

  it('builds on-policy pairs: the wrong reply is rejected, a right one is paired with a corruption', () => {
    const examples: L.InstructionExample[] = [
      { kind: 'add', prompt: '1+2=', answer: '3' },
      { kind: 'upper', prompt: 'upper: oak', answer: 'OAK' },
      { kind: 'reverse', prompt: 'rev: a b', answer: 'b a' },
    ];
    const pairs = L.preferencePairs(
      examples,
      [
        { text: '4', ended: true },
        { text: 'OAK', ended: true },
        { text: 'b a b a', ended: false },
      ],
      1,
    );
    expect(pairs[0]).toEqual({ prompt: '1+2=', chosen: '3<|end|>', rejected: '4<|end|>' });
    expect(pairs[1]).toEqual({ prompt: 'upper: oak', chosen: 'OAK<|end|>', rejected: 'oak<|end|>' });
    expect(pairs[2].rejected).toBe('b a b a');
  });
});
