// Hidden tests of exercises/ch02-tokenization/decode.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { decodeIds } from '@exercises/ch02-tokenization/decode';

describe('ch02 decodeIds', () => {
  it('turns a lone continuation byte into U+FFFD and names a bad id', () => {
    expect(decodeIds([195], [])).toBe('\uFFFD');
    expect(() => decodeIds([999], [])).toThrow(/999/);
  });
});
