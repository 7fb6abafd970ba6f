/**
 * Cosine similarity of two vectors of the same width C: the cosine of the angle between them,
 *   cos(u, v) = u·v / (‖u‖ ‖v‖)
 * 1 for vectors pointing the same way, 0 for orthogonal ones, −1 for opposite ones; scaling either vector
 * changes nothing. Throw an Error if the widths differ or either vector is all zeros (the angle is undefined).
 *
 * Example: cosine([3, 4], [4, 3]) → 24/25 = 0.96.
 */
export function cosine(u: number[], v: number[]): number {
  throw new Error('TODO: implement cosine (see the chapter 03 notebook, section Cosine similarity)');
}
