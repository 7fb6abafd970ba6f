/**
 * The C × C matrix M_k that moves a sinusoidal encoding k positions: PE(p + k) = M_k · PE(p) for every p.
 * It does not depend on p. Derive it from sin(a + b) = sin a · cos b + cos a · sin b and
 * cos(a + b) = cos a · cos b − sin a · sin b with a = pω_i, b = kω_i, ω_i = 10000^(−2i/C):
 * columns 2i and 2i+1 only mix with each other, so M_k is block diagonal with one 2 × 2 block per frequency.
 * (If C is odd, the last column is a lone sin with no partner: no such matrix exists. Throw an Error naming C.)
 *
 * Example: shiftMatrix(0, 4) is the 4 × 4 identity; with C = 2, PE(0) = [sin 0, cos 0] = [0, 1] and
 *          shiftMatrix(1, 2) · [0, 1] = PE(1) = [sin 1, cos 1] ≈ [0.8415, 0.5403].
 */
export function shiftMatrix(k: number, C: number): number[][] {
  // BEGIN SOLUTION: Relative positions: PE(p+k) is a linear map of PE(p)
  if (C % 2 !== 0) throw new Error(`a shift matrix needs sin/cos pairs, so C must be even, got ${C}`);
  const M = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  for (let i = 0; i < C / 2; i++) {
    const angle = k * Math.pow(10000, (-2 * i) / C);
    M[2 * i][2 * i] = Math.cos(angle);
    M[2 * i][2 * i + 1] = Math.sin(angle);
    M[2 * i + 1][2 * i] = -Math.sin(angle);
    M[2 * i + 1][2 * i + 1] = Math.cos(angle);
  }
  return M;
  // END SOLUTION
}
