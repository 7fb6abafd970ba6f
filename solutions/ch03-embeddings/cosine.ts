/**
 * Cosine similarity of two vectors of the same width C: the cosine of the angle between them,
 *   cos(u, v) = u·v / (‖u‖ ‖v‖)
 * 1 for vectors pointing the same way, 0 for orthogonal ones, −1 for opposite ones; scaling either vector
 * changes nothing. Throw an Error if the widths differ or either vector is all zeros (the angle is undefined).
 *
 * Example: cosine([3, 4], [4, 3]) → 24/25 = 0.96.
 */
export function cosine(u: number[], v: number[]): number {
  // BEGIN SOLUTION: Cosine similarity
  if (u.length !== v.length) throw new Error(`cosine needs vectors of the same width, got ${u.length} and ${v.length}`);
  let dot = 0;
  let uu = 0;
  let vv = 0;
  for (let i = 0; i < u.length; i++) {
    dot += u[i] * v[i];
    uu += u[i] * u[i];
    vv += v[i] * v[i];
  }
  if (uu === 0 || vv === 0) throw new Error('cosine of a zero vector is undefined');
  return dot / Math.sqrt(uu * vv);
  // END SOLUTION
}
