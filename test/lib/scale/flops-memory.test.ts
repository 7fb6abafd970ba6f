import { describe, expect, it } from 'vitest';
import {
  ACCELERATORS,
  GPT3_175B,
  GPT3_TRAINING_TOKENS,
  acceleratorDays,
  activationBytesPerLayer,
  bytesPerParameter,
  formatBytes,
  forwardFlopsPerToken,
  trainingFlops,
  trainingMemory,
  transformerParameters,
} from '@how-llms-work/lib';

describe('parameter count', () => {
  it('gives GPT-3 its 175 billion parameters', () => {
    const p = transformerParameters(GPT3_175B);
    expect(p.total / 1e9).toBeGreaterThan(174);
    expect(p.total / 1e9).toBeLessThan(176);
    expect(p.tokenEmbedding).toBe(50257 * 12288);
    expect(p.blocks).toBe(96 * (12 * 12288 ** 2 + 13 * 12288));
  });

  it('counts GPT-2 small (124M) to the parameter', () => {
    // GPT-2 small: 124,439,808 parameters in Hugging Face's GPT2LMHeadModel (tied head).
    const p = transformerParameters({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nEmbd: 768, nHead: 12 });
    expect(p.total).toBe(124_439_808);
    const untied = transformerParameters({
      vocabSize: 50257,
      blockSize: 1024,
      nLayer: 12,
      nEmbd: 768,
      nHead: 12,
      tiedHead: false,
      bias: false,
    });
    expect(untied.total - p.total).toBe(50257 * 768 - 12 * 11 * 768 - 768); // + head, − 9C linear and 2C norm biases per block, − final norm bias
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => transformerParameters({ ...GPT3_175B, nLayer: 0 })).toThrow(
      /nLayer must be a positive integer, got 0/,
    );
  });
});

describe('training compute', () => {
  it('reproduces GPT-3 175B training compute (3.14e23 FLOPs, Brown et al. Table D.1) as 6ND', () => {
    const { total } = transformerParameters(GPT3_175B);
    const flops = trainingFlops(total, GPT3_TRAINING_TOKENS);
    expect(flops / 3.14e23).toBeGreaterThan(0.99);
    expect(flops / 3.14e23).toBeLessThan(1.01);
    expect(() => trainingFlops(0, 1)).toThrow(/positive parameters and tokens, got N=0/);
  });

  it('counts forward FLOPs per token as 2N plus attention', () => {
    const size = { vocabSize: 65, blockSize: 64, nLayer: 2, nEmbd: 32, nHead: 4 };
    const p = transformerParameters(size);
    expect(forwardFlopsPerToken(size, 0)).toBe(2 * (p.nonEmbedding + 65 * 32));
    expect(forwardFlopsPerToken(size) - forwardFlopsPerToken(size, 0)).toBe(2 * 2 * 64 * 32);
  });

  it('turns FLOPs into GPU-days', () => {
    const days = acceleratorDays(3.14e23, ACCELERATORS.A100, 0.5);
    expect(days).toBeCloseTo(3.14e23 / (312e12 * 0.5) / 86400, 6);
    expect(() => acceleratorDays(1, ACCELERATORS.A100, 1.5)).toThrow(/utilization must be in \(0, 1\], got 1.5/);
  });
});

describe('training memory', () => {
  it('needs 16 bytes per parameter for Adam in fp32 and in mixed precision (ZeRO)', () => {
    for (const precision of ['fp32', 'mixed'] as const) {
      const b = bytesPerParameter(precision);
      expect(b.weights + b.gradients + b.optimizer).toBe(16);
    }
    const m = trainingMemory(175e9, { precision: 'mixed' });
    expect(m.total).toBe(16 * 175e9);
    expect(m.weights).toBe(350e9); // 350 GB of fp16 weights alone
    expect(formatBytes(m.total)).toBe('2.80 TB');
  });

  it('adds activations per layer from Korthikanti et al. equation 1', () => {
    const size = { ...GPT3_175B };
    const perLayer = activationBytesPerLayer(size, 1);
    expect(perLayer).toBe(2048 * 12288 * (34 + (5 * 96 * 2048) / 12288));
    const m = trainingMemory(1e9, { precision: 'mixed', size, batch: 1 });
    expect(m.activations).toBe(96 * perLayer);
    expect(m.total).toBe(16e9 + 96 * perLayer);
    expect(trainingMemory(1e9, { precision: 'fp32', size, batch: 1 }).activations).toBe(2 * 96 * perLayer);
  });
});
