/**
 * The number of parameters of a GPT as the library builds it (initGPT with learned positions, pre-LN,
 * output head tied to the token embedding), by formula, without building it.
 * Per layer: c_attn (3C × C), attn.c_proj (C × C), mlp.c_fc (4C × C), mlp.c_proj (C × 4C), two layer norms;
 * plus the token table (V × C), the position table (blockSize × C) and the final layer norm.
 * With bias (the default) every linear layer has one bias per output and every layer norm a β beside its γ;
 * without, linear layers have no bias and layer norms only γ. The tied head adds nothing; nHead changes nothing.
 *
 * Example: GPT-2 small, { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 } → 124439808.
 */
export function gptParameterFormula(config: {
  vocabSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  bias?: boolean;
}): number {
  // BEGIN SOLUTION: Counting parameters
  const { vocabSize: V, blockSize, nLayer: L, nEmbd: C } = config;
  const bias = config.bias ?? true;
  const norm = bias ? 2 * C : C;
  const perLayer = 12 * C * C + (bias ? 9 * C : 0) + 2 * norm;
  return V * C + blockSize * C + L * perLayer + norm;
  // END SOLUTION
}
