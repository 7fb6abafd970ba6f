// Hidden tests of exercises/ch02-tokenization/encode.ts: graded, shown to learners only as pass/fail and points.
import { describe, expect, it } from 'vitest';
import { encodeWithMerges } from '@exercises/ch02-tokenization/encode';

describe('ch02 encodeWithMerges', () => {
  it('encodes the empty string and multi-byte characters as bytes', () => {
    expect(encodeWithMerges('', [[97, 97]])).toEqual([]);
    expect(encodeWithMerges('é', [])).toEqual([195, 169]);
  });
});
