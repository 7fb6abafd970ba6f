/**
 * Rotary position embedding for one query or key vector x (D numbers, D even) at position p:
 * rotate each adjacent pair (x[2i], x[2i+1]) by the angle p · θ_i, θ_i = 10000^(−2i/D):
 *   y[2i]   = x[2i] · cos(pθ_i) − x[2i+1] · sin(pθ_i)
 *   y[2i+1] = x[2i] · sin(pθ_i) + x[2i+1] · cos(pθ_i)
 * Returns a new array; x is not changed. An odd D throws an Error whose message contains D.
 *
 * Example: ropeRotate([1, 0, 1, 0], 1) → [cos 1, sin 1, cos 0.01, sin 0.01] ≈ [0.5403, 0.8415, 0.99995, 0.0100]
 */
export function ropeRotate(x: readonly number[], p: number): number[] {
  // BEGIN SOLUTION: Rotary position embedding (RoPE)
  const D = x.length;
  if (D % 2 !== 0) throw new Error(`RoPE rotates pairs, so the vector length must be even, got ${D}`);
  const y = new Array<number>(D);
  for (let i = 0; i < D / 2; i++) {
    const angle = p * Math.pow(10000, (-2 * i) / D);
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    y[2 * i] = x[2 * i] * c - x[2 * i + 1] * s;
    y[2 * i + 1] = x[2 * i] * s + x[2 * i + 1] * c;
  }
  return y;
  // END SOLUTION
}
