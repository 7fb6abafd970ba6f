/**
 * The sinusoidal positional encoding of "Attention Is All You Need", as a T × C table of numbers:
 *   PE[p][2i]   = sin(p · ω_i)
 *   PE[p][2i+1] = cos(p · ω_i),   ω_i = 10000^(−2i/C)
 * Even columns use sin, odd columns cos, and columns 2i and 2i+1 share the frequency ω_i.
 * C may be odd: the last column is then a sin with no cos partner.
 *
 * Example: sinusoidalTable(2, 4) →
 *   [[0, 1, 0, 1],
 *    [sin(1), cos(1), sin(0.01), cos(0.01)]]   ≈ [[0, 1, 0, 1], [0.8415, 0.5403, 0.0100, 1.0000]]
 */
export function sinusoidalTable(T: number, C: number): number[][] {
  // BEGIN SOLUTION: Sinusoidal encoding, built right
  const table: number[][] = [];
  for (let p = 0; p < T; p++) {
    const row: number[] = [];
    for (let d = 0; d < C; d++) {
      const i = Math.floor(d / 2);
      const angle = p * Math.pow(10000, (-2 * i) / C);
      row.push(d % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
    table.push(row);
  }
  return table;
  // END SOLUTION
}
