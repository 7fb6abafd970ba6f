/**
 * Per-example gradient clipping, the first step of DP-SGD. Each row of `perExample` is one example's
 * gradient (flattened). Scale every row whose L2 norm exceeds `maxNorm` down to norm exactly `maxNorm`,
 * keeping its direction; leave rows with norm ≤ maxNorm unchanged (clipping is min(1, C/‖g‖), it never
 * stretches a short gradient). The input is not modified. Throws an Error whose message contains the
 * value when maxNorm is not > 0.
 *
 * Example: clipPerExample([[3, 4], [0.3, 0.4]], 1) → [[0.6, 0.8], [0.3, 0.4]]
 */
export function clipPerExample(perExample: number[][], maxNorm: number): number[][] {
  throw new Error('TODO: implement clipPerExample (see the chapter 11 notebook, section DP-SGD: clip every example, add noise)');
}
