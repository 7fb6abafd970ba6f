/**
 * Magnitude pruning mask: 1 keeps a weight, 0 prunes it. Exactly round(sparsity · n) weights are pruned,
 * those with the smallest absolute values; among equal magnitudes the earlier position is pruned first,
 * so the count is exact even with ties. Throws, naming the value, when sparsity is outside [0, 1].
 *
 * Example: magnitudePruningMask([0.5, -0.1, 2, -3, 0.2, -0.05], 0.5) → [1, 0, 1, 1, 0, 0]
 *   (the three smallest magnitudes are 0.05, 0.1 and 0.2).
 */
export function magnitudePruningMask(weights: ArrayLike<number>, sparsity: number): number[] {
  // BEGIN SOLUTION: Magnitude pruning
  if (!(sparsity >= 0 && sparsity <= 1)) throw new Error(`sparsity must be in [0, 1], got ${sparsity}`);
  const order = Array.from({ length: weights.length }, (_, i) => i);
  order.sort((a, b) => Math.abs(weights[a]) - Math.abs(weights[b]) || a - b);
  const mask = new Array<number>(weights.length).fill(1);
  for (const i of order.slice(0, Math.round(sparsity * weights.length))) mask[i] = 0;
  return mask;
  // END SOLUTION
}
