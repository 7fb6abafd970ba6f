import { describe, expect, it } from 'vitest';
import {
  disposeNamed,
  initRecurrent,
  recurrentLoss,
  sampleLMBatch,
  train,
  inputGradientNorms,
  lastStepLoss,
  recurrentForward,
  rnnCell,
  lstmCell,
  timeRecurrenceVsAttention,
  tf,
  type Params,
  type RecurrentConfig,
} from '@how-llms-work/lib';

// Logits from PyTorch 1.13 (nn.Embedding + nn.RNN/nn.LSTM(batch_first) + nn.Linear, float64) with every parameter
// filled by `fillLikeReference` below, for ids [[0, 3, 1, 4], [2, 2, 0, 1]]. Script: the parameter order and
// formula are the whole of it (0.5·sin(1.7k + i) for parameter i, flat index k).
const TORCH_LOGITS = {
  rnn: [
    0.038279, 0.899905, 0.141183, -0.805733, -0.24622, -0.082089, 0.973398, 0.317108, -0.746235, -0.377167, 0.1946,
    1.157713, 0.179753, -1.034384, -0.45764, -0.355107, 0.760151, 0.428922, -0.448462, -0.263878, 0.29994, 1.210083,
    0.114004, -1.136458, -0.469054, 0.286577, 1.28421, 0.183403, -1.158122, -0.554831, -0.00101, 1.030399, 0.27912,
    -0.831954, -0.403979, 0.222164, 1.189033, 0.175867, -1.068643, -0.479652,
  ],
  lstm: [
    -0.291844, 0.320672, 0.033432, -0.307956, 0.237828, -0.363997, 0.288083, 0.080949, -0.239445, 0.242102, -0.332807,
    0.256421, 0.025825, -0.249456, 0.289659, -0.436413, 0.218227, 0.100557, -0.154767, 0.286507, -0.207106, 0.400275,
    0.00887, -0.406126, 0.188178, -0.250496, 0.348638, 0.013225, -0.351197, 0.225347, -0.346304, 0.24508, 0.030748,
    -0.234393, 0.296123, -0.328355, 0.246603, 0.01395, -0.248614, 0.30217,
  ],
};

function fillLikeReference(params: Params): void {
  Object.values(params).forEach((v, i) => {
    const values = Array.from({ length: v.size }, (_, k) => 0.5 * Math.sin(k * 1.7 + i));
    v.assign(tf.tensor(values, v.shape));
  });
}

function dispose(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}

describe('recurrent parameters', () => {
  it('uses the names and shapes of a PyTorch state_dict', () => {
    const lstm = initRecurrent({ kind: 'lstm', vocabSize: 7, width: 4 }, 1);
    const shapes = Object.fromEntries(Object.entries(lstm).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      'embedding.weight': [7, 4],
      'rnn.weight_ih_l0': [16, 4],
      'rnn.weight_hh_l0': [16, 4],
      'rnn.bias_ih_l0': [16],
      'rnn.bias_hh_l0': [16],
      'head.weight': [7, 4],
      'head.bias': [7],
    });
    dispose(lstm);
    const rnn = initRecurrent({ kind: 'rnn', vocabSize: 7, width: 4 }, 1);
    expect(rnn['rnn.weight_hh_l0'].shape).toEqual([4, 4]);
    dispose(rnn);
  });

  it('is repeatable from the seed and differs across seeds', () => {
    const cfg: RecurrentConfig = { kind: 'rnn', vocabSize: 5, width: 3 };
    const [a, b, c] = [initRecurrent(cfg, 3), initRecurrent(cfg, 3), initRecurrent(cfg, 4)];
    expect(a['rnn.weight_hh_l0'].arraySync()).toEqual(b['rnn.weight_hh_l0'].arraySync());
    expect(a['rnn.weight_hh_l0'].arraySync()).not.toEqual(c['rnn.weight_hh_l0'].arraySync());
    [a, b, c].forEach(dispose);
  });

  it('starts the LSTM forget gate open (bias block f is shifted by +1)', () => {
    const p = initRecurrent({ kind: 'lstm', vocabSize: 3, width: 8 }, 2);
    const b = p['rnn.bias_hh_l0'].dataSync();
    const mean = (from: number) => Array.from(b.slice(from, from + 8)).reduce((s, v) => s + v, 0) / 8;
    expect(mean(8)).toBeGreaterThan(0.6); // forget block: 1 + U(-1/√8, 1/√8)
    expect(Math.abs(mean(0))).toBeLessThan(0.36);
    dispose(p);
  });

  it('rejects a bad config with the value and the fix', () => {
    expect(() => initRecurrent({ kind: 'gru' as 'rnn', vocabSize: 3, width: 2 })).toThrow(
      /kind must be "rnn" or "lstm", got "gru"/,
    );
    expect(() => initRecurrent({ kind: 'rnn', vocabSize: 0, width: 2 })).toThrow(
      /vocabSize must be a positive integer, got 0/,
    );
  });
});

describe('recurrent forward', () => {
  for (const kind of ['rnn', 'lstm'] as const) {
    it(`${kind} logits match PyTorch`, () => {
      const config: RecurrentConfig = { kind, vocabSize: 5, width: 3 };
      const params = initRecurrent(config, 0);
      fillLikeReference(params);
      const ids = tf.tensor2d(
        [
          [0, 3, 1, 4],
          [2, 2, 0, 1],
        ],
        undefined,
        'int32',
      );
      const logits = recurrentForward(params, config, ids);
      expect(logits.shape).toEqual([2, 4, 5]);
      const got = Array.from(logits.dataSync());
      TORCH_LOGITS[kind].forEach((want, i) => expect(got[i]).toBeCloseTo(want, 4));
      tf.dispose([ids, logits]);
      dispose(params);
    });

    it(`${kind} is causal: changing a later token leaves earlier logits alone`, () => {
      const config: RecurrentConfig = { kind, vocabSize: 6, width: 4 };
      const params = initRecurrent(config, 5);
      const a = recurrentForward(params, config, tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32'));
      const b = recurrentForward(params, config, tf.tensor2d([[1, 2, 5, 4]], undefined, 'int32'));
      const diff = (tf.abs(a.sub(b)).max(2) as tf.Tensor2D).arraySync()[0]; // (T)
      expect(diff[0]).toBe(0);
      expect(diff[1]).toBe(0);
      expect(diff[2]).toBeGreaterThan(1e-4);
      expect(diff[3]).toBeGreaterThan(1e-4);
      tf.dispose([a, b]);
      dispose(params);
    });
  }

  it('cells leave no tensors behind but their outputs', () => {
    const params = initRecurrent({ kind: 'lstm', vocabSize: 4, width: 3 }, 1);
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    const h = tf.zeros([2, 3]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const out = lstmCell(params, x, { h, c: h });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([out.h, out.c, x, h]);
    dispose(params);
  });

  it('an RNN step is tanh of the summed affine maps', () => {
    const params = initRecurrent({ kind: 'rnn', vocabSize: 2, width: 2 }, 1);
    params['rnn.weight_ih_l0'].assign(
      tf.tensor2d([
        [1, 0],
        [0, 2],
      ]),
    );
    params['rnn.weight_hh_l0'].assign(
      tf.tensor2d([
        [0, 1],
        [1, 0],
      ]),
    );
    params['rnn.bias_ih_l0'].assign(tf.tensor1d([0.1, 0]));
    params['rnn.bias_hh_l0'].assign(tf.tensor1d([0, -0.2]));
    const h = rnnCell(params, tf.tensor2d([[0.5, 0.25]]), tf.tensor2d([[0.3, -0.4]]));
    const [a, b] = h.dataSync();
    expect(a).toBeCloseTo(Math.tanh(0.5 - 0.4 + 0.1), 5);
    expect(b).toBeCloseTo(Math.tanh(0.5 + 0.3 - 0.2), 5);
    h.dispose();
    dispose(params);
  });
});

describe('training a recurrent model', () => {
  it('learns a repeating sequence with the course trainer and keeps the tensor count flat', async () => {
    const config: RecurrentConfig = { kind: 'lstm', vocabSize: 4, width: 16 };
    const params = initRecurrent(config, 7);
    const stream = Array.from({ length: 200 }, (_, i) => i % 4);
    const counts: number[] = [];
    const result = await train({
      params,
      loss: recurrentLoss(config),
      trainBatch: (rng) => sampleLMBatch(stream, 4, 8, rng),
      steps: 80,
      lr: 0.02,
      evalEvery: 40,
      logEvery: 10,
      onProgress: (p) => {
        if (p.loss !== undefined) counts.push(tf.memory().numTensors);
      },
    });
    expect(result.evals[0].trainLoss).toBeGreaterThan(1.2); // about log 4 at the start
    expect(result.evals[result.evals.length - 1].trainLoss).toBeLessThan(0.2);
    expect(new Set(counts.slice(1)).size).toBe(1);
    disposeNamed(result.optimizer.m);
    disposeNamed(result.optimizer.v);
    dispose(params);
  });
});

describe('vanishing gradients', () => {
  function norms(kind: 'rnn' | 'lstm'): number[] {
    const config: RecurrentConfig = { kind, vocabSize: 10, width: 32 };
    const params = initRecurrent(config, 11);
    const T = 40;
    const ids = tf.tensor2d(
      [Array.from({ length: T }, (_, t) => (t * 7) % 10), Array.from({ length: T }, (_, t) => (t * 3) % 10)],
      undefined,
      'int32',
    );
    const targets = tf.tensor1d([1, 2], 'int32');
    const before = tf.memory().numTensors;
    const out = inputGradientNorms(params, config, ids, targets);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, targets]);
    dispose(params);
    return out;
  }

  it('the tanh RNN gradient shrinks by orders of magnitude with distance', () => {
    const g = norms('rnn');
    expect(g).toHaveLength(40);
    expect(g[39]).toBeGreaterThan(0);
    expect(g[39] / g[39 - 20]).toBeGreaterThan(100); // 20 steps back: at least 100× smaller
  });

  it('the LSTM keeps far more gradient at the same distance than the RNN', () => {
    const rnn = norms('rnn');
    const lstm = norms('lstm');
    const ratio = (g: number[]) => g[g.length - 21] / g[g.length - 1];
    expect(ratio(lstm)).toBeGreaterThan(10 * ratio(rnn));
  });

  it('last-step loss is the cross-entropy of the last position only', () => {
    const logits = tf.tensor3d([
      [
        [5, 0],
        [0, 0],
      ],
    ]); // (1, 2, 2): first position would give a tiny loss
    const loss = lastStepLoss(logits, tf.tensor1d([0], 'int32'));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(2), 5);
    tf.dispose([logits, loss]);
  });
});

describe('recurrence vs attention', () => {
  it('times both layers for each length without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const rows = timeRecurrenceVsAttention({ lengths: [4, 16], width: 8, batch: 2, repeats: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(rows.map((r) => r.T)).toEqual([4, 16]);
    for (const r of rows) {
      expect(r.recurrentMs).toBeGreaterThan(0);
      expect(r.attentionMs).toBeGreaterThan(0);
      expect(r.recurrentSequentialSteps).toBe(r.T);
      expect(r.attentionSequentialSteps).toBe(1);
    }
    expect(() => timeRecurrenceVsAttention({ lengths: [0] })).toThrow(/positive integers, got 0/);
  });
});
