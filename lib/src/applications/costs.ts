/**
 * Where the field is going, priced: what each idea saves and what it costs, per layer and token.
 * Counts are multiply-adds × 2 (FLOPs) and stored numbers, from the shapes alone.
 *  - Full attention: every query scores every key, 4·T²·C FLOPs and a T×T score matrix per head.
 *  - Sliding-window attention (Longformer, Mistral): each query sees the last w keys, 4·T·w·C; nothing
 *    beyond w tokens back is seen directly (information must hop layer by layer).
 *  - Linear attention (Katharopoulos et al. 2020): φ(Q)(φ(K)ᵀV), 4·T·C·D; no softmax, so weaker recall.
 *  - Mixture of experts (Shazeer et al. 2017; Fedus et al. 2022): E feed-forward experts, each token
 *    routed to k: parameters grow with E, compute with k, and all E must sit in memory.
 *  - Retrieval (RAG, Lewis et al. 2020): knowledge in an index instead of weights, paid for in context
 *    length (more tokens to attend over) and an index search per query.
 */

/** The attention variants compared. */
export type AttentionKind = 'full' | 'window' | 'linear';

/** FLOPs and score-matrix size of one attention layer's core (QKᵀ and weights·V), all heads. */
export interface AttentionCost {
  flops: number;
  /** Numbers in the attention score matrices (H·T·T for full attention), or state for linear. */
  scoreEntries: number;
}

/** Cost of attention over T tokens of width C in H heads; `window` for the sliding window. */
export function attentionCost(kind: AttentionKind, T: number, C: number, H: number, window = 256): AttentionCost {
  for (const [k, v] of Object.entries({ T, C, H, window })) {
    if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${k} must be a positive integer, got ${v}`);
  }
  if (C % H !== 0) throw new Error(`width C = ${C} must be divisible by heads H = ${H}`);
  const D = C / H;
  if (kind === 'full') return { flops: 4 * T * T * C, scoreEntries: H * T * T };
  if (kind === 'window') {
    const w = Math.min(window, T);
    return { flops: 4 * T * w * C, scoreEntries: H * T * w };
  }
  if (kind === 'linear') return { flops: 4 * T * C * D, scoreEntries: H * D * D };
  throw new Error(`unknown attention kind "${kind}"; use full, window or linear`);
}

/** A mixture-of-experts feed-forward layer's size. */
export interface MoEShape {
  nEmbd: number;
  /** Number of experts E (1 = a dense feed-forward layer). */
  experts: number;
  /** Experts each token is routed to, k ≤ E. */
  topK: number;
  /** Hidden width of one expert (4C in GPT-2). */
  hidden?: number;
}

/** Parameters stored, parameters used per token and FLOPs per token of one MoE feed-forward layer. */
export function moeCost(shape: MoEShape): { totalParams: number; activeParams: number; flopsPerToken: number } {
  const { nEmbd: C, experts: E, topK: k } = shape;
  if (!(Number.isInteger(k) && k >= 1 && k <= E))
    throw new Error(`topK must be an integer in [1, experts = ${E}], got ${k}`);
  const hidden = shape.hidden ?? 4 * C;
  const expert = 2 * C * hidden + hidden + C; // up and down projections with biases
  const router = E > 1 ? C * E : 0;
  const activeParams = k * expert + router;
  return { totalParams: E * expert + router, activeParams, flopsPerToken: 2 * activeParams };
}

/** What retrieval adds to answering one query. */
export interface RetrievalShape {
  /** Tokens of the question and instructions. */
  promptTokens: number;
  /** Passages retrieved and pasted into the prompt. */
  passages: number;
  passageTokens: number;
  /** Vectors in the index and their width. */
  indexSize: number;
  embeddingDim: number;
}

/** Context length with retrieval, the attention-FLOP factor it costs, and the index's search FLOPs and bytes (float32, exact search). */
export function retrievalCost(r: RetrievalShape): {
  contextTokens: number;
  attentionFactor: number;
  searchFlops: number;
  indexBytes: number;
} {
  const contextTokens = r.promptTokens + r.passages * r.passageTokens;
  return {
    contextTokens,
    attentionFactor: (contextTokens / r.promptTokens) ** 2,
    searchFlops: 2 * r.indexSize * r.embeddingDim,
    indexBytes: 4 * r.indexSize * r.embeddingDim,
  };
}
