/**
 * Magnitude pruning mask: 1 keeps a weight, 0 prunes it. Exactly round(sparsity · n) weights are pruned,
 * those with the smallest absolute values; among equal magnitudes the earlier position is pruned first,
 * so the count is exact even with ties. Throws, naming the value, when sparsity is outside [0, 1].
 *
 * Example: magnitudePruningMask([0.5, -0.1, 2, -3, 0.2, -0.05], 0.5) → [1, 0, 1, 1, 0, 0]
 *   (the three smallest magnitudes are 0.05, 0.1 and 0.2).
 */
export function magnitudePruningMask(weights: ArrayLike<number>, sparsity: number): number[] {
  throw new Error('TODO: implement magnitudePruningMask (see the chapter 10 notebook, section Magnitude pruning)');
}
