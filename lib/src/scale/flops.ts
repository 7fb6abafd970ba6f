/**
 * Counting a GPT's parameters and training compute on paper, so that our model and GPT-3 can be
 * compared on one scale. The estimates follow Kaplan et al. 2020, "Scaling Laws for Neural Language
 * Models" (arXiv:2001.08361), section 2.1: a forward pass costs about 2N FLOPs per token plus the
 * attention scores, and training (forward + backward) about three times that, so C ≈ 6·N·D.
 */
import { gptParameterCount, type GPTConfig } from '../model/gpt';

/** The sizes that decide a GPT's parameter count (GPT-2/3 layout: pre-norm blocks, 4C MLP). */
export interface TransformerSize {
  /** V: vocabulary size. */
  vocabSize: number;
  /** T: context length (learned positions have one row per position). */
  blockSize: number;
  /** Number of blocks. */
  nLayer: number;
  /** C: model width. */
  nEmbd: number;
  /** H: attention heads (does not change the count; used for activation memory). */
  nHead: number;
  /** Linear layers and norms carry biases (GPT-2/3: true). */
  bias?: boolean;
  /** The output head reuses the token embedding (GPT-2/3: true); false adds V·C parameters. */
  tiedHead?: boolean;
  /** Learned position table (T·C parameters); false for sinusoidal or rotary positions. */
  learnedPositions?: boolean;
}

/** GPT-3 175B ("davinci"), from Brown et al. 2020, "Language Models are Few-Shot Learners", Table 2.1. */
export const GPT3_175B: TransformerSize = {
  vocabSize: 50257,
  blockSize: 2048,
  nLayer: 96,
  nEmbd: 12288,
  nHead: 96,
  bias: true,
  tiedHead: true,
  learnedPositions: true,
};

/** Tokens GPT-3 175B was trained on: 300 billion (Brown et al. 2020, section 2.2). */
export const GPT3_TRAINING_TOKENS = 300e9;

/** Parameter count of a GPT, by part. */
export interface ParameterBreakdown {
  tokenEmbedding: number;
  positionEmbedding: number;
  /** All blocks together: attention, MLP and two norms each. */
  blocks: number;
  /** Final norm plus an untied output head. */
  head: number;
  total: number;
  /** Parameters that cost multiply-adds per token (everything except the embedding tables), N in 6·N·D. */
  nonEmbedding: number;
}

/** Parameters of a GPT with the given sizes, counted layer by layer. */
export function transformerParameters(size: TransformerSize): ParameterBreakdown {
  const { vocabSize: V, blockSize: T, nLayer: L, nEmbd: C } = size;
  for (const [k, v] of Object.entries({ vocabSize: V, blockSize: T, nLayer: L, nEmbd: C })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer, got ${v}`);
  }
  const b = (size.bias ?? true) ? 1 : 0;
  const norm = C + b * C; // LayerNorm gain (+ bias)
  const attention = C * 3 * C + b * 3 * C + C * C + b * C; // qkv projection, then output projection
  const mlp = C * 4 * C + b * 4 * C + 4 * C * C + b * C; // up to 4C, back down to C
  const block = 2 * norm + attention + mlp;
  const tokenEmbedding = V * C;
  const positionEmbedding = (size.learnedPositions ?? true) ? T * C : 0;
  const head = norm + ((size.tiedHead ?? true) ? 0 : V * C + b * V);
  const blocks = L * block;
  const total = tokenEmbedding + positionEmbedding + blocks + head;
  // The output projection multiplies every token by V·C weights even when they are shared with the embedding.
  const nonEmbedding = blocks + norm;
  return { tokenEmbedding, positionEmbedding, blocks, head, total, nonEmbedding };
}

/** Forward-pass FLOPs per token (Kaplan et al. Table 1): 2 per weight multiply-add, plus attention scores over `context` positions. */
export function forwardFlopsPerToken(size: TransformerSize, context = size.blockSize): number {
  const { nonEmbedding } = transformerParameters(size);
  const headMatmul = size.vocabSize * size.nEmbd; // logits: one multiply-add per head weight
  return 2 * (nonEmbedding + headMatmul) + 2 * size.nLayer * context * size.nEmbd;
}

/** Training FLOPs ≈ 6·N·D: forward 2ND plus backward 4ND (gradients for inputs and for weights). */
export function trainingFlops(parameters: number, tokens: number): number {
  if (!(parameters > 0) || !(tokens > 0))
    throw new Error(`trainingFlops needs positive parameters and tokens, got N=${parameters}, D=${tokens}`);
  return 6 * parameters * tokens;
}

/** A GPU's peak dense matrix throughput, with where the figure comes from. */
export interface Accelerator {
  name: string;
  /** Peak dense FLOP/s in the precision training uses. */
  peakFlops: number;
  precision: string;
  memoryBytes: number;
  source: string;
}

/** Datasheet figures (dense, no sparsity) for the GPUs the chapter mentions. */
export const ACCELERATORS: Record<'V100' | 'A100' | 'H100', Accelerator> = {
  V100: {
    name: 'NVIDIA V100 SXM2',
    peakFlops: 125e12,
    precision: 'fp16 tensor core',
    memoryBytes: 32e9,
    source: 'NVIDIA Tesla V100 datasheet (2020): 125 TFLOPS deep learning',
  },
  A100: {
    name: 'NVIDIA A100 SXM 80GB',
    peakFlops: 312e12,
    precision: 'bf16 tensor core',
    memoryBytes: 80e9,
    source: 'NVIDIA A100 Tensor Core GPU datasheet (2021): 312 TFLOPS BF16 dense',
  },
  H100: {
    name: 'NVIDIA H100 SXM',
    peakFlops: 989e12,
    precision: 'bf16 tensor core',
    memoryBytes: 80e9,
    source: 'NVIDIA H100 Tensor Core GPU datasheet (2023): 1,979 TFLOPS BF16 with sparsity, 989 dense',
  },
};

/**
 * Model FLOPs utilisation real training reaches: PaLM 540B reported 46.2% on TPU v4
 * (Chowdhery et al. 2022, "PaLM: Scaling Language Modeling with Pathways", Table 3).
 */
export const TYPICAL_MFU = 0.4;

/** Days one accelerator needs for `flops` at `utilization` of its peak (divide by GPU count for wall time). */
export function acceleratorDays(flops: number, accelerator: Accelerator, utilization = TYPICAL_MFU): number {
  if (!(utilization > 0 && utilization <= 1)) throw new Error(`utilization must be in (0, 1], got ${utilization}`);
  return flops / (accelerator.peakFlops * utilization) / 86400;
}

/**
 * Training FLOPs per token of a library GPT (any config: GQA, SwiGLU, RMSNorm, learned or rotary positions):
 * 3 × the forward pass, which is 2 per weight that multiplies (blocks, final norm and the tied head's V·C) plus
 * the attention scores and mixing, 2·nLayer·blockSize·C (Kaplan et al. Table 1). Equal FLOPs = equal compute.
 */
export function gptTrainingFlopsPerToken(config: GPTConfig): number {
  const { vocabSize: V, nEmbd: C, blockSize: T, nLayer: L } = config;
  const positions = (config.positional ?? 'learned') === 'learned' ? T * C : 0;
  const nonEmbedding = gptParameterCount(config) - V * C - positions;
  return 3 * (2 * (nonEmbedding + V * C) + 2 * L * T * C);
}
